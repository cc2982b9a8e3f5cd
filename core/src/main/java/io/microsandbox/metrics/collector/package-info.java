/**
 * The collector library: read sandboxes on an interval, buffer them per exporter, ship them in
 * batches, retry with backoff, drain on shutdown.
 *
 * <pre>
 *  MetricsCollector.builder() --build()--> MetricsCollector --start()--> RunningCollector
 *                                                                          flush(), shutdown()
 *
 *  SnapshotSource --(every collect interval)--> SnapshotCollection --> per exporter:
 *   (registry)        + MetadataSource labels, allocations              bounded buffer
 *                                                                       --(flush interval)-->
 *                                                                       MetricsExporter.export(ExportBatch)
 * </pre>
 *
 * <p>The public surface: {@link io.microsandbox.metrics.collector.MetricsCollector} and its
 * builder, {@link io.microsandbox.metrics.collector.ExporterConfig}, {@link
 * io.microsandbox.metrics.collector.RunningCollector}, the interfaces to plug in ({@link
 * io.microsandbox.metrics.collector.MetricsExporter}, {@link
 * io.microsandbox.metrics.collector.SnapshotSource}, {@link
 * io.microsandbox.metrics.collector.MetadataSource}) and the immutable values they exchange.
 * Everything else lives in {@code internal}.
 *
 * <p>Guarantees: a slow, hanging or failing exporter never delays collection or the other
 * exporters; each exporter buffers at most its cap of collections (the oldest are dropped and
 * counted); a failed batch is retried in order; a batch whose export outlived its timeout but then
 * succeeded may be delivered twice (never lost).
 *
 * <p>Nothing here is null unless marked {@code @Nullable} (JSpecify).
 */
@NullMarked
package io.microsandbox.metrics.collector;

import org.jspecify.annotations.NullMarked;
