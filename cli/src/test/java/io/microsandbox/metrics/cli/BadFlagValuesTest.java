package io.microsandbox.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Flag values that parse but cannot work: each is a one-line usage error naming the flag, exit 2,
 * before anything starts (the stop signal is already given, so a command that wrongly starts ends
 * at once instead of running on).
 */
@Timeout(30)
class BadFlagValuesTest {
  @TempDir Path home;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CompletableFuture<String> stop = CompletableFuture.completedFuture("test stop");
    return StoppableCli.create(stop, out, err).execute(args);
  }

  @ParameterizedTest
  @CsvSource({
    "stdout, --collect-interval, 999999999999h",
    "stdout, --flush-interval, 999999999999h",
    "stdout, --export-timeout, 999999999999h",
    "stdout, --max-sample-age, 999999999999h",
    "stdout, --collect-interval, 999999999999h999999999999h999999999999h",
    "stdout, --flush-interval, 8785h",
    "otel, --export-timeout, 999999999999h",
    "otel, --collect-interval, 9000h",
  })
  void hugeDurationsNameTheirFlag(String command, String flag, String value) {
    String home = this.home.toString();
    int exit =
        command.equals("otel")
            ? run(command, "--msb-home", home, "--endpoint", "http://127.0.0.1:4317", flag, value)
            : run(command, "--msb-home", home, "--no-catalog", flag, value);
    assertThat(exit).as(err.toString()).isEqualTo(2);
    assertThat(err.toString().lines()).as("one line").hasSize(1);
    assertThat(err.toString()).contains(flag).doesNotContain("overflow");
  }

  @ParameterizedTest
  @CsvSource({
    "http://127.0.0.1:99999, grpc",
    "http://127.0.0.1:99999/v1/metrics, http",
    "http://127.0.0.1:0, grpc",
    "https://alice:s3cret@127.0.0.1:65536, grpc",
  })
  void anEndpointPortOutOfRangeIsAUsageError(String endpoint, String protocol) {
    int exit =
        run("otel", "--msb-home", home.toString(), "--protocol", protocol, "--endpoint", endpoint);
    assertThat(exit).as(err.toString()).isEqualTo(2);
    assertThat(err.toString().lines()).as("one line").hasSize(1);
    assertThat(err.toString()).contains("--endpoint").contains("port").doesNotContain("s3cret");
  }

  @ParameterizedTest
  @CsvSource({
    "stdout, --collect-interval, 0, collect interval must be positive, got 0",
    "stdout, --flush-interval, 0s, flush interval must be positive",
    "stdout, --max-buffered, 0, max buffered must be at least 1, got 0",
    "stdout, --max-labels, -3, max labels must be at least 1",
    "prometheus, --max-label-value-bytes, 0, max label value bytes must be at least 1",
  })
  void valuesTheLibraryRefusesAreUsageErrorsNamingTheFlag(
      String command, String flag, String value, String message) {
    int exit =
        command.equals("prometheus")
            ? run(
                command,
                "--msb-home",
                home.toString(),
                "--no-catalog",
                "--listen",
                "127.0.0.1:0",
                flag,
                value)
            : run(command, "--msb-home", home.toString(), "--no-catalog", flag, value);
    assertThat(exit).as(err.toString()).isEqualTo(2);
    assertThat(err.toString().lines()).as("one line").hasSize(1);
    assertThat(err.toString()).contains(flag + ": " + message);
  }

  @ParameterizedTest
  @CsvSource({"512KiB", "1048575", "0"})
  void aSpoolSizeBelowTheLibrarysMinimumIsAUsageErrorNamingTheFlag(String size) {
    int exit =
        run(
            "otel",
            "--msb-home",
            home.toString(),
            "--no-catalog",
            "--endpoint",
            "http://127.0.0.1:4317",
            "--spool-dir",
            home.resolve("spool").toString(),
            "--spool-max-bytes",
            size);
    assertThat(exit).as(err.toString()).isEqualTo(2);
    assertThat(err.toString().lines()).as("one line").hasSize(1);
    assertThat(err.toString()).contains("--spool-max-bytes").contains("at least 1MiB");
  }

  @Test
  void anEmptySpoolDirectoryIsAUsageErrorNamingTheFlag() {
    int exit =
        run(
            "otel",
            "--msb-home",
            home.toString(),
            "--no-catalog",
            "--endpoint",
            "http://127.0.0.1:4317",
            "--spool-dir",
            "");
    assertThat(exit).as(err.toString()).isEqualTo(2);
    assertThat(err.toString().lines()).as("one line").hasSize(1);
    assertThat(err.toString()).contains("--spool-dir").contains("empty path");
  }
}
