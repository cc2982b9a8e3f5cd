package io.microsandbox.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/cli/ is what the code says: every file regenerated from the picocli model ({@link
 * CliReference}) equals the committed one, and there is no file of a command that is gone. With
 * {@code -Dcli.reference.write} it writes them instead.
 */
class CliReferenceTest {
  static final String REGENERATE =
      "mvn -B -q -pl cli -am verify -Dtest=CliReferenceTest -Dsurefire.failIfNoSpecifiedTests=false"
          + " -D"
          + CliReference.WRITE_PROPERTY;

  private static Path dir() {
    return Path.of(System.getProperty("basedir", "."))
        .toAbsolutePath()
        .getParent()
        .resolve("docs/cli");
  }

  @Test
  void docsCliIsGeneratedFromTheCurrentCommandLine() throws IOException {
    Map<String, String> generated = CliReference.files();
    Path dir = dir();
    if (System.getProperty(CliReference.WRITE_PROPERTY) != null) {
      Files.createDirectories(dir);
      for (Map.Entry<String, String> file : generated.entrySet()) {
        Files.writeString(dir.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
      }
    }
    Set<String> present = new TreeSet<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        files.forEach(f -> present.add(f.getFileName().toString()));
      }
    }
    assertThat(present)
        .as("docs/cli/ holds exactly the generated files; regenerate with: %s", REGENERATE)
        .containsExactlyInAnyOrderElementsOf(generated.keySet());
    for (Map.Entry<String, String> file : generated.entrySet()) {
      assertThat(Files.readString(dir.resolve(file.getKey()), StandardCharsets.UTF_8))
          .as(
              "docs/cli/%s is out of date with the command line; regenerate with: %s",
              file.getKey(), REGENERATE)
          .isEqualTo(file.getValue());
    }
  }

  @Test
  void everyCommandHasItsPageAndTheManPageCoversThemAll() {
    Map<String, String> generated = CliReference.files();
    assertThat(generated.keySet())
        .contains(
            "msb-metrics.adoc",
            "msb-metrics-demo.adoc",
            "msb-metrics-otel.adoc",
            "msb-metrics-prometheus.adoc",
            "msb-metrics-snapshot.adoc",
            "msb-metrics-stdout.adoc",
            "msb-metrics-top.adoc",
            "msb-metrics.1");
    String man = generated.get("msb-metrics.1");
    assertThat(man)
        .startsWith(".\\\" Generated")
        .contains(".TH MSB-METRICS 1", ".SS otel", ".SS top", "\\-\\-endpoint=URL");
    assertThat(man.lines()).noneMatch(l -> l.startsWith(".") && l.contains("--"));
    assertThat(generated.get("msb-metrics-prometheus.adoc"))
        .contains("--listen")
        .doesNotContain("--flush-interval");
  }
}
