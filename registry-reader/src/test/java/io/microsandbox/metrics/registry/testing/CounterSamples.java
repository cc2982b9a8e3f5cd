package io.microsandbox.metrics.registry.testing;

import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;

/**
 * Samples whose every field derives from one counter, so a reader can tell a coherent sample from a
 * torn one (fields of two different writes) by looking at it alone.
 */
public final class CounterSamples {
  private static final int ALL_FLAGS = 0x7f;

  private CounterSamples() {}

  /** The sample for {@code counter} (> 0): sampled_at = counter, every other field a mix of it. */
  public static SandboxSnapshot sample(long counter) {
    SandboxSnapshot.Builder b =
        SandboxSnapshot.builder()
            .sampledAtMs(counter)
            .sampleFlags(ALL_FLAGS)
            .cpuPercentBits((int) (counter * 0x9E3779B1L));
    for (SampleField field : SampleField.values()) {
      b.raw(field, valueOf(field, counter));
    }
    return b.build();
  }

  /** Whether {@code s} is exactly {@link #sample(long)} of its own sampled_at (not torn). */
  public static boolean isCoherent(SandboxSnapshot s) {
    long counter = s.sampledAtMs();
    if (s.sampleFlags() != ALL_FLAGS || s.cpuPercentBits() != (int) (counter * 0x9E3779B1L)) {
      return false;
    }
    for (SampleField field : SampleField.values()) {
      if (field != SampleField.MEMORY_LIMIT_BYTES && s.raw(field) != valueOf(field, counter)) {
        return false;
      }
    }
    return true;
  }

  private static long valueOf(SampleField field, long counter) {
    // spreads the counter over all 64 bits, so values above Long.MAX_VALUE occur too
    return (counter * 0x9E3779B97F4A7C15L) ^ ((long) field.ordinal() << 56);
  }
}
