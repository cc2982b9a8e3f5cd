package io.microsandbox.metrics.collector;

import java.util.List;
import java.util.Objects;

/**
 * What a worker hands its exporter in one {@link MetricsExporter#export} call: every buffered
 * collection, oldest first, the number of collections the buffer dropped since the previous batch,
 * and the exporter's collector telemetry. Immutable.
 *
 * @param collections the collections, oldest first (copied)
 * @param droppedCollections collections evicted by the buffer cap since the previous batch handed
 *     to this exporter; never negative
 * @param telemetry the worker's {@link CollectorTelemetry} when the batch was made
 */
public record ExportBatch(
    List<SnapshotCollection> collections, long droppedCollections, CollectorTelemetry telemetry) {

  /** Checks and copies the components. */
  public ExportBatch {
    if (droppedCollections < 0) {
      throw new IllegalArgumentException("droppedCollections < 0: " + droppedCollections);
    }
    collections = List.copyOf(collections);
    Objects.requireNonNull(telemetry, "telemetry");
  }

  /** The number of sandbox samples across all collections. */
  public int sampleCount() {
    int n = 0;
    for (SnapshotCollection c : collections) {
      n += c.snapshots().size();
    }
    return n;
  }

  @Override
  public String toString() {
    return "ExportBatch{collections="
        + collections.size()
        + ", samples="
        + sampleCount()
        + ", droppedCollections="
        + droppedCollections
        + '}';
  }
}
