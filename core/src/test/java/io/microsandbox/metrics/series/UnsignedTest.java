package io.microsandbox.metrics.series;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class UnsignedTest {

  @Test
  void longValuesAreExactUpToLongMaxAndClampedAbove() {
    assertThat(Unsigned.clampToLong(0)).isZero();
    assertThat(Unsigned.clampToLong(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    assertThat(Unsigned.clampToLong(Long.MIN_VALUE)).isEqualTo(Long.MAX_VALUE); // 2^63
    assertThat(Unsigned.clampToLong(-1L)).isEqualTo(Long.MAX_VALUE); // u64::MAX
  }

  @Test
  void doublesCoverTheWholeUnsignedRange() {
    for (long raw :
        new long[] {0, 1, Long.MAX_VALUE, Long.MIN_VALUE, -1L, -2048L, 0x8000_0000_0000_0401L}) {
      double expected =
          new java.math.BigDecimal(new BigInteger(Long.toUnsignedString(raw))).doubleValue();
      assertThat(Unsigned.toDouble(raw)).as(Long.toUnsignedString(raw)).isEqualTo(expected);
    }
  }

  @Test
  void epochNanosClampsBeforeTheEpochAndSaturates() {
    assertThat(Unsigned.epochNanos(-5)).isZero();
    assertThat(Unsigned.epochNanos(1_700_000_061_234L)).isEqualTo(1_700_000_061_234_000_000L);
    assertThat(Unsigned.epochNanos(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
  }
}
