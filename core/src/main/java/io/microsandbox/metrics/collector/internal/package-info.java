/**
 * The collector's machinery; not API, may change without notice.
 *
 * <pre>
 *  CollectDriver (msb-metrics-collect)          one ExporterWorker per exporter
 *  every collect interval:                       (msb-metrics-worker-NAME)
 *   SnapshotSource.read()                         every flush interval, or backoff,
 *   -> drop samples older than max sample age     or at once on flush():
 *   -> MetadataSource.metadataFor()               SnapshotBuffer.takeAll()
 *   -> CompactCollection.encode() --offer--------> -> ExportCaller (msb-metrics-export-NAME)
 *                                                     -> MetricsExporter.export(batch)
 *                                                  failure/timeout: restore to the front,
 *                                                  BackoffPolicy 1x..32x the flush interval
 * </pre>
 *
 * <p>{@link io.microsandbox.metrics.collector.internal.Scheduler} is the seam for time: tests drive
 * the driver and workers with a manual scheduler instead of sleeping.
 */
@NullMarked
package io.microsandbox.metrics.collector.internal;

import org.jspecify.annotations.NullMarked;
