package io.microsandbox.metrics.spool.internal;

import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.util.List;
import java.util.zip.Deflater;

/**
 * The encodings the spool's format was chosen between, measured side by side by the benchmark:
 * fixed-width fields or the spool's delta + varint codec, each with or without deflate per record.
 */
public final class EncodedSizes {
  private static final SampleField[] FIELDS = SampleField.values();

  private EncodedSizes() {}

  /** Bytes of {@code collections} as spool payloads (keyframes as the spool writes them). */
  public static long deltaVarint(List<SnapshotCollection> collections, boolean deflate) {
    return deltaVarint(collections, deflate, DiskSpool.KEYFRAME_EVERY);
  }

  /** Bytes of {@code collections} as spool payloads with a keyframe every {@code every} records. */
  public static long deltaVarint(
      List<SnapshotCollection> collections, boolean deflate, int keyframeEvery) {
    CollectionCodec.Encoder encoder = new CollectionCodec.Encoder();
    ByteSink sink = new ByteSink();
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    long total = 0;
    int since = 0;
    for (int i = 0; i < collections.size(); i++) {
      if (since == 0) {
        encoder.reset();
      }
      sink.reset();
      encoder.encode(i, collections.get(i), sink);
      encoder.commit();
      since = (since + 1) % keyframeEvery;
      total += SegmentFile.RECORD_HEADER + (deflate ? deflated(deflater, sink) : sink.size());
    }
    return total;
  }

  /**
   * Bytes of {@code collections} with every field at full width (the identity as the spool writes
   * it, then 8 bytes per value), the baseline a plain record format would give.
   */
  public static long fixedWidth(List<SnapshotCollection> collections, boolean deflate) {
    ByteSink sink = new ByteSink();
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    long total = 0;
    for (SnapshotCollection c : collections) {
      sink.reset();
      sink.writeInt((int) (c.collectedAtMs() >>> 32));
      sink.writeInt((int) c.collectedAtMs());
      for (SandboxSnapshot s : c.snapshots()) {
        sink.writeInt(s.slot());
        sink.writeInt(s.sandboxId());
        sink.writeInt(s.runId());
        sink.writeInt(s.pid());
        sink.writeString(s.name());
        writeLong(sink, s.startedAtMs());
        writeLong(sink, s.sampledAtMs());
        sink.writeInt(s.sampleFlags());
        sink.writeInt(s.cpuPercentBits());
        for (SampleField f : FIELDS) {
          writeLong(sink, s.raw(f));
        }
      }
      total += SegmentFile.RECORD_HEADER + (deflate ? deflated(deflater, sink) : sink.size());
    }
    return total;
  }

  private static void writeLong(ByteSink sink, long v) {
    sink.writeInt((int) (v >>> 32));
    sink.writeInt((int) v);
  }

  private static int deflated(Deflater deflater, ByteSink sink) {
    deflater.reset();
    deflater.setInput(sink.array(), 0, sink.size());
    deflater.finish();
    byte[] out = new byte[sink.size() + 64];
    int n = 0;
    while (!deflater.finished()) {
      n += deflater.deflate(out, n, out.length - n);
    }
    return n;
  }
}
