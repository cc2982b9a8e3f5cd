package io.microsandbox.metrics.collector;

import java.util.List;
import java.util.Objects;

/**
 * What a worker hands its exporter in one {@link MetricsExporter#export} call: every buffered
 * collection, oldest first, the number of collections the buffer dropped since the previous
 * batch, and the exporter's self-observability figures. Immutable.
 */
public final class ExportBatch {
  private final List<SnapshotCollection> collections;
  private final long droppedCollections;
  private final CollectorTelemetry telemetry;

  /**
   * Creates a batch.
   *
   * @param collections the collections, oldest first (copied)
   * @param droppedCollections collections evicted by the buffer cap since the previous batch
   * @param telemetry the worker's self-observability figures when the batch was made
   */
  public ExportBatch(
      List<SnapshotCollection> collections,
      long droppedCollections,
      CollectorTelemetry telemetry) {
    if (droppedCollections < 0) {
      throw new IllegalArgumentException("droppedCollections < 0: " + droppedCollections);
    }
    this.collections = List.copyOf(collections);
    this.droppedCollections = droppedCollections;
    this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
  }

  /** The collections, oldest first. */
  public List<SnapshotCollection> collections() {
    return collections;
  }

  /** Collections evicted by the buffer cap since the previous batch handed to this exporter. */
  public long droppedCollections() {
    return droppedCollections;
  }

  /** The exporter's self-observability figures at the time the batch was made. */
  public CollectorTelemetry telemetry() {
    return telemetry;
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
