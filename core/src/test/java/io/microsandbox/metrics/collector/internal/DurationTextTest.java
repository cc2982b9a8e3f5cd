package io.microsandbox.metrics.collector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {
  @Test
  void durationsAreWrittenAsTheFlagsTakeThem() {
    assertThat(DurationText.format(Duration.ofSeconds(1))).isEqualTo("1s");
    assertThat(DurationText.format(Duration.ofSeconds(16))).isEqualTo("16s");
    assertThat(DurationText.format(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1s500ms");
    assertThat(DurationText.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(DurationText.format(Duration.ZERO)).isEqualTo("0");
    assertThat(DurationText.ofNanos(1)).isEqualTo("1ms");
    assertThat(DurationText.format(Duration.ofSeconds(-1))).isEqualTo("-1s");
  }
}
