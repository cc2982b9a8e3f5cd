package io.microsandbox.metrics.collector.internal;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.SandboxMetadata;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One buffered collection in compact form: the changing values of every sample in one {@code
 * long[]} and one reference per sample to a shared {@link SampleIdentity}. No per-sample or
 * per-field objects, so a full buffer costs about 108 bytes per sandbox-sample instead of the ~180
 * of a {@link SandboxSnapshot} (see docs/benchmarks.md). Immutable; one instance is shared by every
 * exporter's buffer.
 *
 * <pre>
 * narrow layout, 13 longs per sample (when every sampled_at is within +-24 days of the tick):
 *   [cpu_percent_bits:32 | sampled_at - collected_at:32] [12 x u64 fields in SampleField order]
 * wide layout, 14 longs per sample (otherwise):
 *   [cpu_percent_bits] [sampled_at] [12 x u64 fields]
 * </pre>
 */
public final class CompactCollection {
  private static final SampleField[] FIELDS = SampleField.values();
  private static final int NARROW = FIELDS.length + 1;
  private static final int WIDE = FIELDS.length + 2;

  private final long collectedAtMs;
  private final int stride;
  private final long[] values;
  private final SampleIdentity[] identities;

  private CompactCollection(
      long collectedAtMs, int stride, long[] values, SampleIdentity[] identities) {
    this.collectedAtMs = collectedAtMs;
    this.stride = stride;
    this.values = values;
    this.identities = identities;
  }

  /**
   * Encodes one tick's sandboxes.
   *
   * @param collectedAtMs the tick's time
   * @param snapshots the sandboxes, in order
   * @param metadataBySandboxId labels and allocation by catalog sandbox id (missing = none)
   * @param interner shares identities with earlier collections; its tick is ended here
   */
  public static CompactCollection encode(
      long collectedAtMs,
      List<SandboxSnapshot> snapshots,
      Map<Integer, SandboxMetadata> metadataBySandboxId,
      IdentityInterner interner) {
    int n = snapshots.size();
    int stride = NARROW;
    for (SandboxSnapshot s : snapshots) {
      if (!fitsNarrow(s.sampledAtMs(), collectedAtMs)) {
        stride = WIDE;
        break;
      }
    }
    long[] values = new long[n * stride];
    SampleIdentity[] identities = new SampleIdentity[n];
    for (int i = 0; i < n; i++) {
      SandboxSnapshot s = snapshots.get(i);
      int base = i * stride;
      long cpuBits = Integer.toUnsignedLong(s.cpuPercentBits());
      if (stride == NARROW) {
        long delta = s.sampledAtMs() - collectedAtMs;
        values[base] = cpuBits << 32 | (delta & 0xFFFF_FFFFL);
        base += 1;
      } else {
        values[base] = cpuBits;
        values[base + 1] = s.sampledAtMs();
        base += 2;
      }
      for (int f = 0; f < FIELDS.length; f++) {
        values[base + f] = s.raw(FIELDS[f]);
      }
      SandboxMetadata metadata =
          metadataBySandboxId.isEmpty()
              ? SandboxMetadata.NONE
              : metadataBySandboxId.getOrDefault(s.sandboxId(), SandboxMetadata.NONE);
      identities[i] = interner.intern(s, metadata);
    }
    interner.endTick();
    return new CompactCollection(collectedAtMs, stride, values, identities);
  }

  /**
   * The labels and allocations of a materialised collection, by sandbox id, as {@link #encode}
   * takes them (a collection read back from a spool is encoded again).
   */
  public static Map<Integer, SandboxMetadata> metadataOf(SnapshotCollection c) {
    Map<Integer, SandboxMetadata> metadata = new HashMap<>();
    for (SandboxSnapshot s : c.snapshots()) {
      Map<String, String> labels = c.labels(s);
      Allocation allocation = c.allocation(s);
      if (!labels.isEmpty() || !allocation.equals(Allocation.UNKNOWN)) {
        metadata.putIfAbsent(s.sandboxId(), new SandboxMetadata(labels, allocation));
      }
    }
    return metadata;
  }

  // sampled_at is any i64 the writer put there (0, pre-epoch, far future): the subtraction itself
  // may overflow, so check it exactly.
  private static boolean fitsNarrow(long sampledAtMs, long collectedAtMs) {
    long delta;
    try {
      delta = Math.subtractExact(sampledAtMs, collectedAtMs);
    } catch (ArithmeticException overflow) {
      return false;
    }
    return delta == (int) delta;
  }

  /** The tick's time, Unix milliseconds. */
  public long collectedAtMs() {
    return collectedAtMs;
  }

  /** The number of sandbox samples. */
  public int size() {
    return identities.length;
  }

  /** The shared identity of sample {@code i}. */
  SampleIdentity identity(int i) {
    return identities[i];
  }

  /** Materialises the collection for an exporter (done only when a batch is made). */
  public SnapshotCollection decode() {
    int n = identities.length;
    List<SandboxSnapshot> snapshots = new ArrayList<>(n);
    Map<Integer, Map<String, String>> labels = new HashMap<>();
    Map<Integer, Allocation> allocations = new HashMap<>();
    for (int i = 0; i < n; i++) {
      SampleIdentity id = identities[i];
      int base = i * stride;
      long sampledAt;
      int cpuBits;
      if (stride == NARROW) {
        long packed = values[base];
        cpuBits = (int) (packed >>> 32);
        sampledAt = collectedAtMs + (int) packed;
        base += 1;
      } else {
        cpuBits = (int) values[base];
        sampledAt = values[base + 1];
        base += 2;
      }
      SandboxSnapshot.Builder b =
          SandboxSnapshot.builder()
              .slot(id.slot)
              .state(id.state)
              .sandboxId(id.sandboxId)
              .runId(id.runId)
              .pid(id.pid)
              .name(id.name)
              .startedAtMs(id.startedAtMs)
              .sampledAtMs(sampledAt)
              .sampleFlags(id.sampleFlags)
              .cpuPercentBits(cpuBits);
      for (int f = 0; f < FIELDS.length; f++) {
        b.raw(FIELDS[f], values[base + f]);
      }
      snapshots.add(b.build());
      if (!id.metadata.labels().isEmpty()) {
        labels.put(id.sandboxId, id.metadata.labels());
      }
      if (!id.metadata.allocation().equals(Allocation.UNKNOWN)) {
        allocations.put(id.sandboxId, id.metadata.allocation());
      }
    }
    return new SnapshotCollection(collectedAtMs, snapshots, labels, allocations);
  }
}
