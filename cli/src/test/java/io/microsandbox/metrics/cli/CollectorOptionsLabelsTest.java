package io.microsandbox.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.catalog.CatalogLabelSource;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code --no-labels} and {@code --exclude-label-key} of the collector options. */
class CollectorOptionsLabelsTest {
  @TempDir Path msbHome;

  @Command(name = "probe")
  static final class Probe {
    @Mixin CollectorOptions options;
  }

  private static CollectorOptions parse(String... args) {
    Probe probe = new Probe();
    new CommandLine(probe).parseArgs(args);
    return probe.options;
  }

  private void writeCatalog(String labelsJson) throws Exception {
    Path db = msbHome.resolve("db/msb.db");
    Files.createDirectories(db.getParent());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE sandbox (id INTEGER PRIMARY KEY, name TEXT UNIQUE, config TEXT,"
              + " active_config TEXT NULL, status TEXT, ephemeral BOOL, created_at, updated_at)");
      s.execute(
          "INSERT INTO sandbox (id, name, config) VALUES (1, 'web', '{\"labels\":"
              + labelsJson
              + "}')");
    }
  }

  private static Map<Integer, Map<String, String>> labelsOf(CatalogLabelSource source) {
    try (source) {
      return source.labelsFor(
          List.of(SandboxSnapshot.builder().sandboxId(1).name("web").build()));
    }
  }

  @Test
  void readsTheCatalogOfTheMsbHomeWithoutExcludedKeys() throws Exception {
    writeCatalog("{\"tier\":\"web\",\"secret\":\"x\",\"owner\":\"bob\"}");

    Optional<CatalogLabelSource> source =
        parse(
                "--msb-home", msbHome.toString(),
                "--exclude-label-key", "secret",
                "--exclude-label-key", "owner")
            .catalogLabels(Map.of());

    assertThat(source).isPresent();
    assertThat(source.get().catalogPath()).isEqualTo(msbHome.resolve("db/msb.db"));
    assertThat(labelsOf(source.get())).isEqualTo(Map.of(1, Map.of("tier", "web")));
  }

  @Test
  void findsTheCatalogThroughMsbHomeInTheEnvironment() throws Exception {
    writeCatalog("{\"tier\":\"web\"}");

    Optional<CatalogLabelSource> source =
        parse().catalogLabels(Map.of("MSB_HOME", msbHome.toString(), "HOME", "/nonexistent"));

    assertThat(source).isPresent();
    assertThat(labelsOf(source.get())).isEqualTo(Map.of(1, Map.of("tier", "web")));
  }

  @Test
  void noLabelsMeansNoCatalogAccess() {
    assertThat(parse("--no-labels", "--msb-home", msbHome.toString()).catalogLabels(Map.of()))
        .isEmpty();
  }
}
