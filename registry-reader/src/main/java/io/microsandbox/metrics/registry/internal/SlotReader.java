package io.microsandbox.metrics.registry.internal;

import static io.microsandbox.metrics.registry.RegistryLayout.*;

import io.microsandbox.metrics.registry.RegistryLayout;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.SlotState;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Reads one slot coherently with the registry's seqlock protocol (the writer's side is in {@link
 * RegistryLayout}), never writing, never spinning without bound.
 *
 * <pre>
 *   attempt (at most 4096):
 *     st1 = state (acquire)       not accepted -> INVISIBLE
 *     g1  = generation (acquire)
 *     s1  = seq (acquire)         odd -> retry (writer mid-write)
 *     fields, name bytes          plain loads
 *     loadLoadFence
 *     s2, g2, st2                 s1 == s2 and g1 == g2 and st2 accepted -> accept, else retry
 *   4096 failed attempts -> SKIPPED (counted by the caller)
 * </pre>
 *
 * <p>Allocation-light: one reused builder, one scratch buffer for name bytes, and the decoded name
 * cached per slot and generation (a slot's name only changes when it is reserved again, which mints
 * a new generation), so a steady-state scan allocates one snapshot per sandbox.
 *
 * <p>Not thread-safe: one instance per reader, used under the reader's lock.
 */
public final class SlotReader {
  /** Attempts per slot per scan before giving up on it, as upstream. */
  public static final int MAX_ATTEMPTS = 4096;

  private final ByteBuffer buf;
  private final OwnerLiveness liveness;
  private final byte[] nameScratch = new byte[NAME_MAX];
  private final long[] nameGeneration;
  private final String[] names;
  private final SandboxSnapshot.Builder builder = SandboxSnapshot.builder();
  private final long[] values = new long[SampleField.values().length];
  private static final SampleField[] FIELDS = SampleField.values();

  /** What the last {@link #read} found when it returned null. */
  public enum Miss {
    /** Nothing to report: free, reserved, never sampled, or stale when not asked for. */
    INVISIBLE,
    /** The slot could not be read coherently, or held a corrupt value: skipped and counted. */
    SKIPPED
  }

  private Miss lastMiss = Miss.INVISIBLE;
  private @Nullable String lastSkipReason;

  /**
   * @param buf the mapped registry, at least {@code 256 + capacity * 512} bytes
   * @param capacity number of slots
   * @param liveness dead-owner detection
   */
  public SlotReader(ByteBuffer buf, int capacity, OwnerLiveness liveness) {
    this.buf = buf;
    this.liveness = liveness;
    this.nameGeneration = new long[capacity];
    this.names = new String[capacity];
  }

  /**
   * Reads slot {@code slot}. Returns its snapshot, or null with {@link #lastMiss()} telling whether
   * it was simply invisible or had to be skipped.
   *
   * @param includeStale whether stale slots (released, or active with a dead owner) are returned
   * @param nowMs the wall clock, for the dead-owner check
   * @param nowNanos the monotonic clock, for the dead-owner check
   */
  public @Nullable SandboxSnapshot read(int slot, boolean includeStale, long nowMs, long nowNanos) {
    final int base = slotOffset(slot);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      int st1 = (int) Mapping.INT.getAcquire(buf, base + S_STATE);
      if (!accepted(st1, includeStale)) {
        return miss(Miss.INVISIBLE, null);
      }
      long g1 = (long) Mapping.LONG.getAcquire(buf, base + S_GENERATION);
      long s1 = (long) Mapping.LONG.getAcquire(buf, base + S_SEQ);
      if ((s1 & 1) != 0) {
        Thread.onSpinWait();
        continue;
      }
      int sandboxId = buf.getInt(base + S_SANDBOX_ID);
      int runId = buf.getInt(base + S_RUN_ID);
      int pid = buf.getInt(base + S_PID);
      long startedAtMs = buf.getLong(base + S_STARTED_AT_MS);
      long sampledAtMs = buf.getLong(base + S_SAMPLED_AT_MS);
      int flags = buf.getInt(base + S_SAMPLE_FLAGS);
      int cpuBits = buf.getInt(base + S_CPU_PERCENT_BITS);
      for (int f = 0; f < FIELDS.length; f++) {
        values[f] = buf.getLong(base + offsetOf(FIELDS[f]));
      }
      int nameLen = buf.getShort(base + S_NAME_LEN) & 0xffff;
      boolean nameCached = names[slot] != null && nameGeneration[slot] == g1;
      if (!nameCached) {
        buf.get(base + S_NAME, nameScratch, 0, Math.min(nameLen, NAME_MAX));
      }
      // orders every load above before the re-reads below (the reader half of the seqlock)
      VarHandle.loadLoadFence();
      long s2 = (long) Mapping.LONG.getAcquire(buf, base + S_SEQ);
      long g2 = (long) Mapping.LONG.getAcquire(buf, base + S_GENERATION);
      int st2 = (int) Mapping.INT.getAcquire(buf, base + S_STATE);
      if (s1 != s2 || g1 != g2 || !accepted(st2, includeStale)) {
        Thread.onSpinWait();
        continue;
      }

      // a coherent copy of one write: now judge it
      if (sampledAtMs == 0) {
        return miss(Miss.INVISIBLE, null); // never sampled
      }
      if (nameLen > NAME_MAX) {
        return miss(Miss.SKIPPED, "name_len " + nameLen + " exceeds " + NAME_MAX);
      }
      SlotState state = st2 == SLOT_ACTIVE ? SlotState.ACTIVE : SlotState.STALE;
      if (state == SlotState.ACTIVE
          && liveness.isOwnerGone(slot, pid, g2, sampledAtMs, nowMs, nowNanos)) {
        if (!includeStale) {
          return miss(Miss.INVISIBLE, null);
        }
        state = SlotState.STALE; // reported, never written back
      }
      if (!nameCached) {
        // lenient: invalid UTF-8 sequences become U+FFFD, as microsandbox's from_utf8_lossy
        names[slot] = Utf8Lossy.decode(nameScratch, 0, nameLen);
        nameGeneration[slot] = g2;
      }
      builder
          .slot(slot)
          .state(state)
          .sandboxId(sandboxId)
          .runId(runId)
          .pid(pid)
          .name(names[slot])
          .startedAtMs(startedAtMs)
          .sampledAtMs(sampledAtMs)
          .sampleFlags(flags)
          .cpuPercentBits(cpuBits);
      for (int f = 0; f < FIELDS.length; f++) {
        builder.raw(FIELDS[f], values[f]);
      }
      return builder.build();
    }
    return miss(Miss.SKIPPED, "seq stayed odd or changed for " + MAX_ATTEMPTS + " attempts");
  }

  /** Why the last {@link #read} returned null. */
  public Miss lastMiss() {
    return lastMiss;
  }

  /** For a {@link Miss#SKIPPED} slot: what was wrong, for the log. */
  public @Nullable String lastSkipReason() {
    return lastSkipReason;
  }

  private @Nullable SandboxSnapshot miss(Miss miss, @Nullable String reason) {
    lastMiss = miss;
    lastSkipReason = reason;
    return null;
  }

  private static boolean accepted(int state, boolean includeStale) {
    return state == SLOT_ACTIVE || (includeStale && state == SLOT_STALE);
  }
}
