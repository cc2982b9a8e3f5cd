/**
 * What every exporter ships: the series, defined once, and the unsigned rule.
 *
 * <pre>
 *   SandboxSnapshot  --SandboxSeries.appliesTo / longValue / doubleValue--> one point per series
 *   + Allocation        (OTLP name, unit, kind, Prometheus name)             |
 *     (catalog)                                                              |
 *   CollectorTelemetry --CollectorSeries.longValue / doubleValue--> one point per series
 *                                                                            v
 *                                             OTLP request | text / JSON line | exposition
 * </pre>
 *
 * <p>{@link io.microsandbox.metrics.series.Unsigned} keeps u64 registry values from wrapping
 * negative on the way into signed points.
 */
@NullMarked
package io.microsandbox.metrics.series;

import org.jspecify.annotations.NullMarked;
