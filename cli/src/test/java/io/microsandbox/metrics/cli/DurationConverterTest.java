package io.microsandbox.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class DurationConverterTest {

  @ParameterizedTest
  @CsvSource({
    "500ms, 500",
    "1s, 1000",
    "2m, 120000",
    "1h30m, 5400000",
    "1h30m15s250ms, 5415250",
    "90s, 90000",
    "0, 0",
    "0s, 0"
  })
  void readsHumanDurations(String text, long millis) {
    assertThat(DurationConverter.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @CsvSource({"500, 500ms", "1000, 1s", "5400000, 1h30m", "5415250, 1h30m15s250ms", "0, 0"})
  void writesDurationsAsTheFlagsAreWrittenAndReadsThemBack(long millis, String text) {
    assertThat(DurationConverter.format(Duration.ofMillis(millis))).isEqualTo(text);
    assertThat(DurationConverter.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "5", "1x", "s", "m5", "-1s", "1.5s", "1s ms", "10 s", "1d"})
  void rejectsAnythingElseWithAnExample(String text) {
    assertThatThrownBy(() -> DurationConverter.parse(text))
        .isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessageContaining("is not a duration (examples: 500ms, 1s, 2m, 1h30m)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "0s", "0h0m"})
  void thePositiveVariantRejectsZero(String text) {
    assertThatThrownBy(() -> new DurationConverter.Positive().convert(text))
        .isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessageContaining("must be longer than zero");
  }
}
