package io.microsandbox.metrics.spool.internal;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.SlotState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes collections against the previous one in the same segment: most values change slowly, so
 * each is written as the zigzag varint of its difference from the same slot's previous value, and a
 * sandbox whose identity (id, run, pid, name, start, flags, state, labels, allocation) is unchanged
 * costs one byte. A keyframe encodes against nothing, so decoding can start there.
 *
 * <pre>
 * payload  = varint seq, byte kind (0 keyframe | 1 delta), zigzag collected_at (keyframe: itself;
 *            delta: minus the previous), varint n, n x sample
 * sample   = varint slot, byte same_identity, [identity], zigzag d(sampled_at - collected_at),
 *            zigzag d(cpu_percent_bits), 12 x zigzag d(field)          (d = minus previous, else 0)
 * identity = byte state, varint sandbox_id, run_id, pid, string name, zigzag started_at -
 *            collected_at, varint sample_flags, varint label count, (string key, string value)*,
 *            allocation
 * allocation = varint cpus, memory_mib, max_cpus, max_memory_mib, sample_interval_ms (0 =
 *            unknown), byte sampling_off
 * </pre>
 */
final class CollectionCodec {
  static final int KIND_KEYFRAME = 0;
  static final int KIND_DELTA = 1;

  private static final SampleField[] FIELDS = SampleField.values();
  private static final SlotState[] STATES = SlotState.values();

  /**
   * The fewest bytes one encoded sample takes: slot, same-identity flag, sampled-at, CPU and one
   * per field (each a varint or a byte of at least one byte).
   */
  static final int MIN_SAMPLE_BYTES = 4 + FIELDS.length;

  /** The fewest bytes one label takes: the lengths of its key and value. */
  static final int MIN_LABEL_BYTES = 2;

  private CollectionCodec() {}

  /** What the codec remembers of a slot's previous sample. */
  private static final class Prev {
    final SandboxSnapshot sample;
    final Map<String, String> labels;
    final Allocation allocation;
    final long sampledDelta;

    Prev(
        SandboxSnapshot sample,
        Map<String, String> labels,
        Allocation allocation,
        long sampledDelta) {
      this.sample = sample;
      this.labels = labels;
      this.allocation = allocation;
      this.sampledDelta = sampledDelta;
    }
  }

  private static boolean sameIdentity(
      SandboxSnapshot a, Map<String, String> la, Allocation aa, Prev p) {
    SandboxSnapshot b = p.sample;
    return a.sandboxId() == b.sandboxId()
        && a.runId() == b.runId()
        && a.pid() == b.pid()
        && a.startedAtMs() == b.startedAtMs()
        && a.sampleFlags() == b.sampleFlags()
        && a.state() == b.state()
        && a.name().equals(b.name())
        && (la == p.labels || la.equals(p.labels))
        && aa.equals(p.allocation);
  }

  /** Encodes collections one after the other; {@link #reset()} at a segment start. */
  static final class Encoder {
    private Map<Integer, Prev> prev = new HashMap<>();
    private Map<Integer, Prev> next = new HashMap<>();
    private long prevCollectedAt;
    private boolean hasPrev;

    /** Forgets the previous collection: the next one is a keyframe. */
    void reset() {
      prev.clear();
      hasPrev = false;
    }

    /**
     * Appends the payload of {@code c} to {@code out}. The encoder's state moves on only through
     * {@link #commit()}, so a failed write can be retried as if nothing happened.
     */
    void encode(long seq, SnapshotCollection c, ByteSink out) {
      boolean keyframe = !hasPrev;
      long at = c.collectedAtMs();
      out.writeVarLong(seq);
      out.writeByte(keyframe ? KIND_KEYFRAME : KIND_DELTA);
      out.writeZigZag(keyframe ? at : at - prevCollectedAt);
      List<SandboxSnapshot> samples = c.snapshots();
      out.writeVarLong(samples.size());
      next.clear();
      for (SandboxSnapshot s : samples) {
        Map<String, String> labels = c.labels(s);
        Allocation allocation = c.allocation(s);
        Prev p = keyframe ? null : prev.get(s.slot());
        out.writeVarLong(Integer.toUnsignedLong(s.slot()));
        boolean same = p != null && sameIdentity(s, labels, allocation, p);
        out.writeByte(same ? 1 : 0);
        if (!same) {
          out.writeByte(s.state().ordinal());
          out.writeVarLong(Integer.toUnsignedLong(s.sandboxId()));
          out.writeVarLong(Integer.toUnsignedLong(s.runId()));
          out.writeVarLong(Integer.toUnsignedLong(s.pid()));
          out.writeString(s.name());
          out.writeZigZag(s.startedAtMs() - at);
          out.writeVarLong(Integer.toUnsignedLong(s.sampleFlags()));
          out.writeVarLong(labels.size());
          for (Map.Entry<String, String> e : labels.entrySet()) {
            out.writeString(e.getKey());
            out.writeString(e.getValue());
          }
          out.writeVarLong(allocation.cpus());
          out.writeVarLong(allocation.memoryMib());
          out.writeVarLong(allocation.maxCpus());
          out.writeVarLong(allocation.maxMemoryMib());
          out.writeVarLong(allocation.sampleIntervalMs());
          out.writeByte(allocation.samplingOff() ? 1 : 0);
        }
        long sampledDelta = s.sampledAtMs() - at;
        out.writeZigZag(sampledDelta - (p == null ? 0 : p.sampledDelta));
        out.writeZigZag((long) s.cpuPercentBits() - (p == null ? 0 : p.sample.cpuPercentBits()));
        for (SampleField f : FIELDS) {
          out.writeZigZag(s.raw(f) - (p == null ? 0 : p.sample.raw(f)));
        }
        next.put(s.slot(), new Prev(s, labels, allocation, sampledDelta));
      }
      pendingCollectedAt = at;
    }

    private long pendingCollectedAt;

    /** The last {@link #encode} was written: it becomes the base of the next one. */
    void commit() {
      Map<Integer, Prev> t = prev;
      prev = next;
      next = t;
      prevCollectedAt = pendingCollectedAt;
      hasPrev = true;
    }
  }

  /** The decoded header of a record, read without decoding its samples. */
  record Header(long seq, int kind, long collectedAtOrDelta) {}

  static Header header(byte[] payload, int length) {
    ByteSource in = new ByteSource(payload, 0, length);
    long seq = in.readVarLong();
    int kind = in.readByte();
    if (kind != KIND_KEYFRAME && kind != KIND_DELTA) {
      throw new CorruptRecordException("unknown record kind " + kind);
    }
    return new Header(seq, kind, in.readZigZag());
  }

  /** Decodes records one after the other, starting at a keyframe. */
  static final class Decoder {
    private Map<Integer, Prev> prev = new HashMap<>();
    private long prevCollectedAt;
    private boolean hasPrev;

    void reset() {
      prev = new HashMap<>();
      hasPrev = false;
    }

    /** Decodes one payload; a delta without its base is a {@link CorruptRecordException}. */
    Decoded decode(byte[] payload, int length) {
      ByteSource in = new ByteSource(payload, 0, length);
      long seq = in.readVarLong();
      int kind = in.readByte();
      if (kind == KIND_KEYFRAME) {
        prev = new HashMap<>();
      } else if (kind != KIND_DELTA || !hasPrev) {
        throw new CorruptRecordException(
            kind == KIND_DELTA ? "delta record without its base" : "unknown record kind " + kind);
      }
      long at = kind == KIND_KEYFRAME ? in.readZigZag() : prevCollectedAt + in.readZigZag();
      // bounded before anything is allocated: a sample takes at least MIN_SAMPLE_BYTES
      int n = in.readCount(MIN_SAMPLE_BYTES, "samples");
      List<SandboxSnapshot> samples = new ArrayList<>(Math.min(n, 1 << 16));
      Map<Integer, Map<String, String>> labelsById = new HashMap<>();
      Map<Integer, Allocation> allocationsById = new HashMap<>();
      Map<Integer, Prev> next = new HashMap<>(Math.max(16, n * 2));
      for (int i = 0; i < n; i++) {
        int slot = (int) in.readVarLong();
        Prev p = prev.get(slot);
        boolean same = in.readByte() == 1;
        SandboxSnapshot.Builder b;
        Map<String, String> labels;
        Allocation allocation;
        if (same) {
          if (p == null) {
            throw new CorruptRecordException(
                "slot " + slot + " refers to a missing previous sample");
          }
          b = p.sample.toBuilder();
          labels = p.labels;
          allocation = p.allocation;
        } else {
          int state = in.readByte();
          if (state >= STATES.length) {
            throw new CorruptRecordException("unknown slot state " + state);
          }
          b =
              SandboxSnapshot.builder()
                  .slot(slot)
                  .state(STATES[state])
                  .sandboxId((int) in.readVarLong())
                  .runId((int) in.readVarLong())
                  .pid((int) in.readVarLong())
                  .name(in.readString())
                  .startedAtMs(at + in.readZigZag())
                  .sampleFlags((int) in.readVarLong());
          int labelCount = in.readCount(MIN_LABEL_BYTES, "labels");
          if (labelCount == 0) {
            labels = Map.of();
          } else {
            Map<String, String> m = new TreeMap<>();
            for (int l = 0; l < labelCount; l++) {
              m.put(in.readString(), in.readString());
            }
            labels = Map.copyOf(m);
          }
          allocation = readAllocation(in);
        }
        long sampledDelta = in.readZigZag() + (p == null ? 0 : p.sampledDelta);
        b.sampledAtMs(at + sampledDelta);
        b.cpuPercentBits((int) (in.readZigZag() + (p == null ? 0 : p.sample.cpuPercentBits())));
        for (SampleField f : FIELDS) {
          b.raw(f, in.readZigZag() + (p == null ? 0 : p.sample.raw(f)));
        }
        SandboxSnapshot s = b.build();
        samples.add(s);
        if (!labels.isEmpty()) {
          labelsById.put(s.sandboxId(), labels);
        }
        if (!allocation.equals(Allocation.UNKNOWN)) {
          allocationsById.put(s.sandboxId(), allocation);
        }
        next.put(slot, new Prev(s, labels, allocation, sampledDelta));
      }
      if (!in.atEnd()) {
        throw new CorruptRecordException("trailing bytes after the last sample");
      }
      prev = next;
      prevCollectedAt = at;
      hasPrev = true;
      return new Decoded(seq, new SnapshotCollection(at, samples, labelsById, allocationsById));
    }

    private static Allocation readAllocation(ByteSource in) {
      long cpus = in.readVarLong();
      long memoryMib = in.readVarLong();
      long maxCpus = in.readVarLong();
      long maxMemoryMib = in.readVarLong();
      long intervalMs = in.readVarLong();
      int off = in.readByte();
      if (cpus > Integer.MAX_VALUE || maxCpus > Integer.MAX_VALUE || off > 1) {
        throw new CorruptRecordException("allocation out of range");
      }
      try {
        return new Allocation(
            (int) cpus, memoryMib, (int) maxCpus, maxMemoryMib, intervalMs, off == 1);
      } catch (IllegalArgumentException e) {
        throw new CorruptRecordException("allocation out of range: " + e.getMessage());
      }
    }
  }

  /** One decoded record. */
  record Decoded(long seq, SnapshotCollection collection) {}
}
