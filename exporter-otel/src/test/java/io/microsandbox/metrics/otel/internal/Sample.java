package io.microsandbox.metrics.otel.internal;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.series.SandboxSeries;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One sandbox sample of a batch with its labels and allocation, and an upper bound of the protobuf
 * bytes its points add to a request: the unit a flush is split on.
 */
public final class Sample {
  /**
   * Bytes of one number point without attributes, upper bound: the point's own tag and length,
   * start and time (fixed64), the value (fixed64 / double), the attributes' length prefix.
   */
  static final int POINT_BYTES = 32;

  /** Framing of one attribute (KeyValue and AnyValue tags and lengths), upper bound. */
  static final int ATTRIBUTE_FRAMING_BYTES = 8;

  /** An integer attribute's value: a tag and up to a 10-byte varint. */
  static final int INT_VALUE_BYTES = 11;

  final SandboxSnapshot snapshot;
  final Map<String, String> labels;
  final Allocation allocation;
  final int points;
  final long bytes;

  private Sample(
      SandboxSnapshot snapshot,
      Map<String, String> labels,
      Allocation allocation,
      int attributeBytes) {
    this.snapshot = snapshot;
    this.labels = labels;
    this.allocation = allocation;
    this.points = SandboxSeries.pointsOf(snapshot, allocation);
    this.bytes = (long) points * (POINT_BYTES + attributeBytes);
  }

  /**
   * Every sample of {@code batch}, oldest collection first, slot order within a collection.
   *
   * @param identityAttributes how many integer identity attributes each point carries besides
   *     {@code sandbox.name} ({@code sandbox.id}, and the opt-in run id and pid)
   */
  public static List<Sample> of(ExportBatch batch, int identityAttributes) {
    List<Sample> out = new ArrayList<>(batch.sampleCount());
    // label maps are shared between collections: size each one once
    Map<Map<String, String>, Integer> labelBytes = new IdentityHashMap<>();
    for (SnapshotCollection c : batch.collections()) {
      for (SandboxSnapshot s : c.snapshots()) {
        Map<String, String> labels = c.labels(s);
        int attributes =
            labelBytes.computeIfAbsent(labels, Sample::labelBytes)
                + ATTRIBUTE_FRAMING_BYTES
                + utf8Length("sandbox.name")
                + utf8Length(s.name())
                + identityAttributes
                    * (ATTRIBUTE_FRAMING_BYTES + utf8Length("sandbox.run_id") + INT_VALUE_BYTES);
        out.add(new Sample(s, labels, c.allocation(s), attributes));
      }
    }
    return out;
  }

  /** The data points this sample adds to a request. */
  public int points() {
    return points;
  }

  /** An upper bound of the protobuf bytes this sample's points add to a request. */
  public long bytes() {
    return bytes;
  }

  /**
   * Splits {@code samples} into consecutive runs of at most {@code maxBytes} estimated bytes each
   * (a single sample larger than that goes alone).
   */
  public static List<List<Sample>> split(List<Sample> samples, long maxBytes) {
    List<List<Sample>> chunks = new ArrayList<>();
    int start = 0;
    long bytes = 0;
    for (int i = 0; i < samples.size(); i++) {
      long b = samples.get(i).bytes;
      if (bytes + b > maxBytes && i > start) {
        chunks.add(samples.subList(start, i));
        start = i;
        bytes = 0;
      }
      bytes += b;
    }
    chunks.add(samples.subList(start, samples.size()));
    return chunks;
  }

  private static int labelBytes(Map<String, String> labels) {
    int n = 0;
    for (Map.Entry<String, String> e : labels.entrySet()) {
      n += ATTRIBUTE_FRAMING_BYTES + utf8Length(e.getKey()) + utf8Length(e.getValue());
    }
    return n;
  }

  static int utf8Length(String s) {
    int n = s.length();
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        // rare (non-ASCII names and labels): count exactly
        return s.getBytes(StandardCharsets.UTF_8).length;
      }
    }
    return n;
  }
}
