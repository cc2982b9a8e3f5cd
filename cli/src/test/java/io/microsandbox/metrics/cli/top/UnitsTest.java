package io.microsandbox.metrics.cli.top;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the view writes numbers. */
class UnitsTest {
  @ParameterizedTest
  @CsvSource({
    "0, 0B",
    "1023, 1023B",
    "1024, 1.0K",
    "1536, 1.5K",
    "10188, 9.9K", // 9.949 K
    "10189, 10K", // 9.950 K: three digits at most
    "1048575, 1024K",
    "1048576, 1.0M",
    "432013312, 412M",
    "1073741824, 1.0G",
    "-1, 16E", // 2^64-1 unsigned
  })
  void bytesAreShortBinaryWithThreeSignificantDigits(long bytes, String expected) {
    assertThat(Units.bytes(bytes)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0.00",
    "0.8, 0.80",
    "0.05, 0.05",
    "0.004999, 0.00",
    "0.005, 0.01",
    "2.14, 2.14",
    "12.5, 12.50",
    "399.999, 400.00",
  })
  void vcpusHaveTwoDecimalsLikeFormat(double v, String expected) {
    assertThat(Units.vcpus(v)).isEqualTo(expected);
    assertThat(Units.vcpus(v)).isEqualTo(String.format(java.util.Locale.ROOT, "%.2f", v));
  }

  @Test
  void durationsGrowCoarser() {
    assertThat(Units.duration(-5)).isEqualTo("0s");
    assertThat(Units.duration(42_999)).isEqualTo("42s");
    assertThat(Units.duration(60_000)).isEqualTo("1m00s");
    assertThat(Units.duration(725_000)).isEqualTo("12m05s");
    assertThat(Units.duration((3 * 3600 + 7 * 60 + 59) * 1000L)).isEqualTo("3h07m");
    assertThat(Units.duration((2 * 86_400 + 4 * 3600) * 1000L)).isEqualTo("2d04h");
    assertThat(Units.duration(400L * 86_400_000)).isEqualTo("400d00h");
  }
}
