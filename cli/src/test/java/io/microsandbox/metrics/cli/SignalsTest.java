package io.microsandbox.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stopping signals on a real {@code msb-metrics stdout} process: each one stops collecting,
 * prints what is buffered, logs why and exits 0.
 */
@Timeout(60)
class SignalsTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"TERM", "HUP", "INT"})
  void aStoppingSignalDrainsLogsAndExitsZero(String signal) throws Exception {
    Path out = tmp.resolve("stdout.txt");
    try (CliProcess p =
        CliProcess.start(
            Map.of(),
            ProcessBuilder.Redirect.to(out.toFile()),
            List.of(
                "stdout",
                "--msb-home",
                tmp.resolve("home").toString(),
                "--no-catalog",
                "--collect-interval",
                "100ms",
                "--flush-interval",
                "100ms"))) {
      p.awaitOutput(out, "(no active sandboxes)"); // running: its signal handlers are installed
      p.signal(signal);
      int exit = p.waitFor(30);
      assertThat(exit).as(p.stderr()).isZero();
      assertThat(p.stderr()).contains("SIG" + signal + ": stopping, exporting what is buffered");
      assertThat(p.stderr()).contains("stopped");
    }
  }
}
