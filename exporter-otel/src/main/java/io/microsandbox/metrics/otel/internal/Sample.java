package io.microsandbox.metrics.otel.internal;

import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One sandbox sample of a batch with its labels: the unit a flush is split on. */
public final class Sample {
  final SandboxSnapshot snapshot;
  final Map<String, String> labels;
  final int points;

  private Sample(SandboxSnapshot snapshot, Map<String, String> labels) {
    this.snapshot = snapshot;
    this.labels = labels;
    this.points = SandboxSeries.pointsOf(snapshot);
  }

  /** Every sample of {@code batch}, oldest collection first, slot order within a collection. */
  public static List<Sample> of(ExportBatch batch) {
    List<Sample> out = new ArrayList<>(batch.sampleCount());
    for (SnapshotCollection c : batch.collections()) {
      for (SandboxSnapshot s : c.snapshots()) {
        out.add(new Sample(s, c.labels(s)));
      }
    }
    return out;
  }

  /** The data points this sample adds to a request. */
  public int points() {
    return points;
  }

  /**
   * Splits {@code samples} into consecutive runs of at most {@code maxPoints} points each (a
   * single sample never exceeds it: at most {@link SandboxSeries#all()} points).
   */
  public static List<List<Sample>> split(List<Sample> samples, int maxPoints) {
    List<List<Sample>> chunks = new ArrayList<>();
    int start = 0;
    int points = 0;
    for (int i = 0; i < samples.size(); i++) {
      int p = samples.get(i).points;
      if (points + p > maxPoints && i > start) {
        chunks.add(samples.subList(start, i));
        start = i;
        points = 0;
      }
      points += p;
    }
    chunks.add(samples.subList(start, samples.size()));
    return chunks;
  }
}
