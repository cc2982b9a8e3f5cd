package io.microsandbox.metrics.registry.writer;

import static io.microsandbox.metrics.registry.RegistryLayout.*;

import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.internal.Mapping;
import java.nio.ByteBuffer;

/**
 * One reserved slot of a {@link RegistryWriter}, bound to the generation it was reserved with: once
 * the slot is released (or reused), every call fails with a generation mismatch, as in
 * microsandbox.
 */
public final class SlotHandle {
  private final RegistryWriter writer;
  private final ByteBuffer buf;
  private final int slot;
  private final int base;
  private final long generation;

  SlotHandle(RegistryWriter writer, int slot, long generation) {
    this.writer = writer;
    this.buf = writer.buffer();
    this.slot = slot;
    this.base = slotOffset(slot);
    this.generation = generation;
  }

  /** The slot index. */
  public int slot() {
    return slot;
  }

  /** The generation minted when the slot was reserved. */
  public long generation() {
    return generation;
  }

  /**
   * Marks the slot active for a running sandbox: writes run id, owner pid and start time under the
   * seqlock, then publishes state active.
   *
   * @throws IllegalStateException when the slot was released or reused since it was reserved
   */
  public void activate(int runId, int pid, long startedAtMs) {
    checkGeneration();
    long seq = writer.beginWrite(base);
    Mapping.INT.set(buf, base + S_RUN_ID, runId);
    Mapping.INT.set(buf, base + S_PID, pid);
    Mapping.LONG.set(buf, base + S_STARTED_AT_MS, startedAtMs);
    writer.endWrite(base, seq);
    Mapping.INT.setRelease(buf, base + S_STATE, SLOT_ACTIVE);
  }

  /**
   * Writes one sample under the seqlock: {@code sample}'s sampled-at time, sample flags, CPU
   * percentage and every {@link SampleField} except {@link SampleField#MEMORY_LIMIT_BYTES} (set at
   * reservation). Its identity fields (slot, ids, pid, name, start) are ignored.
   *
   * @throws IllegalStateException when the slot was released or reused since it was reserved
   */
  public void writeSample(SandboxSnapshot sample) {
    checkGeneration();
    long seq = writer.beginWrite(base);
    Mapping.LONG.set(buf, base + S_SAMPLED_AT_MS, sample.sampledAtMs());
    Mapping.INT.set(buf, base + S_SAMPLE_FLAGS, sample.sampleFlags());
    Mapping.INT.set(buf, base + S_CPU_PERCENT_BITS, sample.cpuPercentBits());
    for (SampleField field : SampleField.values()) {
      if (field != SampleField.MEMORY_LIMIT_BYTES) {
        Mapping.LONG.set(buf, base + offsetOf(field), sample.raw(field));
      }
    }
    writer.endWrite(base, seq);
  }

  /**
   * Releases the slot with a new generation: {@code stale} keeps the last sample visible as a stale
   * sandbox (clean exit), otherwise the slot becomes free.
   *
   * @throws IllegalStateException when the slot was already released or reused
   */
  public void release(boolean stale) {
    checkGeneration();
    Mapping.LONG.setRelease(buf, base + S_GENERATION, writer.nextGeneration());
    Mapping.INT.setRelease(buf, base + S_STATE, stale ? SLOT_STALE : SLOT_FREE);
  }

  /**
   * Opens the seqlock and never closes it, leaving seq odd for good: what a runtime killed in the
   * middle of a write leaves behind. For tests of readers.
   */
  public void abandonMidWrite() {
    checkGeneration();
    writer.beginWrite(base);
  }

  private void checkGeneration() {
    long observed = (long) Mapping.LONG.getAcquire(buf, base + S_GENERATION);
    if (observed != generation) {
      throw new IllegalStateException(
          "generation mismatch: expected " + generation + ", observed " + observed);
    }
  }
}
