/**
 * How to embed the collector in a JVM application: {@link
 * io.microsandbox.metrics.samples.EmbeddingExample} builds a {@code MetricsCollector} with the OTLP
 * exporter and a custom in-process exporter side by side, flushes on demand when the backend has
 * recovered, and shuts down with a final drain.
 *
 * <p>The ready-to-use backend configurations (Grafana Alloy, OpenTelemetry Collector, Prometheus,
 * systemd, a Grafana dashboard) live next to this module's sources, in {@code samples/config/}.
 */
@NullMarked
package io.microsandbox.metrics.samples;

import org.jspecify.annotations.NullMarked;
