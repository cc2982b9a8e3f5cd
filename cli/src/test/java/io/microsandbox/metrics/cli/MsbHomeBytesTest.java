package io.microsandbox.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.microsandbox.metrics.registry.RegistryName;
import io.microsandbox.metrics.registry.testing.GoldenImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The registry name is hashed from the exact bytes of the home, as microsandbox hashes them,
 * whatever the locale: a real {@code msb-metrics snapshot} process started by a shell that passes
 * the home's raw bytes (as {@code --msb-home} or {@code MSB_HOME}) under {@code LC_ALL=C} (the JVM
 * then decodes every non-ASCII byte as U+FFFD) and under {@code C.UTF-8} (bytes that are not UTF-8
 * are lost).
 */
@Timeout(60)
class MsbHomeBytesTest {
  @TempDir Path tmp;

  /**
   * Runs {@code snapshot --format json} with the home {@code printfHome} (printf %b escapes) and
   * returns the registry name it reports.
   */
  private String registryNameOf(String locale, boolean asFlag, String printfHome) throws Exception {
    Path out = tmp.resolve("out.json");
    String script =
        asFlag
            ? "h=$(printf '%b' \"$1\"); shift; exec \"$@\" --msb-home \"$h\""
            : "export MSB_HOME=$(printf '%b' \"$1\"); shift; exec \"$@\"";
    List<String> command = new ArrayList<>(List.of("bash", "-c", script, "bash", printfHome));
    command.addAll(CliProcess.command(List.of("snapshot", "--format", "json")));
    try (CliProcess p =
        CliProcess.start(
            Map.of("LC_ALL", locale, "LANG", locale),
            ProcessBuilder.Redirect.to(out.toFile()),
            command,
            true)) {
      assertThat(p.waitFor(30)).as(p.stderr()).isZero();
      return new ObjectMapper().readTree(out.toFile()).get("registry").asText();
    }
  }

  @ParameterizedTest
  @CsvSource({"C, true", "C, false", "C.UTF-8, true", "C.UTF-8, false"})
  void aNonAsciiHomeHashesToTheGoldenName(String locale, boolean asFlag) throws Exception {
    // "/srv/msb home/é" in UTF-8; names.txt was written by microsandbox's own code
    String expected = goldenName("/srv/msb home/\u00e9");
    assertThat(registryNameOf(locale, asFlag, "/srv/msb home/\\0303\\0251")).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"C, true", "C, false", "C.UTF-8, true", "C.UTF-8, false"})
  void aHomeThatIsNotUtf8HashesItsRawBytes(String locale, boolean asFlag) throws Exception {
    byte[] raw = {'/', 's', 'r', 'v', '/', 'r', (byte) 0xff, (byte) 0xfe};
    assertThat(registryNameOf(locale, asFlag, "/srv/r\\0377\\0376"))
        .isEqualTo(RegistryName.forHomeBytes(raw))
        .isNotEqualTo(RegistryName.forHome("/srv/r\uFFFD\uFFFD"));
  }

  private static String goldenName(String home) throws Exception {
    for (String line :
        Files.readAllLines(GoldenImages.dir().resolve("names.txt"), StandardCharsets.UTF_8)) {
      String[] columns = line.split("\t");
      if (columns.length == 2 && columns[0].equals(home)) {
        return columns[1];
      }
    }
    throw new AssertionError("no golden name for " + home);
  }
}
