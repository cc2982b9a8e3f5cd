package io.microsandbox.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code msb-metrics stdout | head -2}: a real process whose standard output is a pipe; once its
 * reader goes away the command stops by itself, saying so in one INFO line: no error about a
 * rejected batch or a failed final export, no stack trace. At the default intervals (the first
 * lines need no flags to come at once).
 */
@Timeout(60)
class ClosedStdoutTest {
  @TempDir Path home;

  @Test
  void aClosedPipeEndsTheCommandLikeAUnixTool() throws Exception {
    try (CliProcess p =
        CliProcess.start(
            Map.of(),
            ProcessBuilder.Redirect.PIPE,
            List.of("stdout", "--msb-home", home.toString(), "--no-labels"))) {
      BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(p.process.getInputStream(), StandardCharsets.UTF_8));
      assertThat(lines.readLine()).contains("(no active sandboxes)");
      assertThat(lines.readLine()).contains("(no active sandboxes)");
      lines.close(); // what head -2 does after two lines

      assertThat(p.waitFor(30)).as(p.stderr()).isEqualTo(1);
      String stderr = p.stderr();
      assertThat(stderr.lines().filter(l -> l.contains("standard output closed")))
          .singleElement()
          .asString()
          .contains(" INFO ", "standard output closed or failing: stopping");
      assertThat(stderr).doesNotContain(" ERROR ", " WARN ", "rejected", "final export failed");
      assertThat(stderr.lines())
          .as("one line per event, no stack trace")
          .noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by"));
    }
  }
}
