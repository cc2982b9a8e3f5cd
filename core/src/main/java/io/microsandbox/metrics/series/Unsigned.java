package io.microsandbox.metrics.series;

/**
 * The unsigned-u64 rule of every exported series: registry values are unsigned 64-bit, while OTLP's
 * integer points and Java's {@code long} are signed. Integer gauges keep their type for every value
 * (a series never flips between int and double points, which backends reject or split): a value
 * above {@link Long#MAX_VALUE} (9.2 EB, never a real byte count) is sent clamped to {@link
 * Long#MAX_VALUE}, never wrapped negative. Double series convert the full unsigned range.
 */
public final class Unsigned {
  private Unsigned() {}

  /** {@code raw} read as unsigned, clamped to {@link Long#MAX_VALUE}. */
  public static long clampToLong(long raw) {
    return raw < 0 ? Long.MAX_VALUE : raw;
  }

  /** {@code raw} read as unsigned, as the nearest double. */
  public static double toDouble(long raw) {
    if (raw >= 0) {
      return raw;
    }
    // halve (keeping the low bit for correct rounding), convert, double back
    return ((raw >>> 1) | (raw & 1)) * 2.0;
  }

  /** Unix milliseconds to Unix nanoseconds; before the epoch counts as 0, overflow saturates. */
  public static long epochNanos(long epochMs) {
    if (epochMs <= 0) {
      return 0;
    }
    return epochMs > Long.MAX_VALUE / 1_000_000L ? Long.MAX_VALUE : epochMs * 1_000_000L;
  }
}
