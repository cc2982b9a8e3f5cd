package io.microsandbox.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.catalog.CatalogMetadataSource;
import io.microsandbox.metrics.collector.SandboxMetadata;
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

/**
 * {@code --no-labels}, {@code --no-catalog} and {@code --exclude-label-key} of the collector
 * options.
 */
class CollectorOptionsCatalogTest {
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
          "INSERT INTO sandbox (id, name, config) VALUES (1, 'web', '{\"resources\":{\"cpus\":2,"
              + "\"memory_mib\":1024},\"labels\":"
              + labelsJson
              + "}')");
    }
  }

  private static SandboxMetadata metadataOf(CatalogMetadataSource source) {
    try (source) {
      return source
          .metadataFor(List.of(SandboxSnapshot.builder().sandboxId(1).name("web").build()))
          .get(1);
    }
  }

  @Test
  void readsTheCatalogOfTheMsbHomeWithoutExcludedKeys() throws Exception {
    writeCatalog("{\"tier\":\"web\",\"secret\":\"x\",\"owner\":\"bob\"}");

    Optional<CatalogMetadataSource> source =
        parse(
                "--msb-home", msbHome.toString(),
                "--exclude-label-key", "secret",
                "--exclude-label-key", "owner")
            .catalog(Map.of());

    assertThat(source).isPresent();
    assertThat(source.get().catalogPath()).isEqualTo(msbHome.resolve("db/msb.db"));
    assertThat(metadataOf(source.get()).labels()).isEqualTo(Map.of("tier", "web"));
  }

  @Test
  void catalogMaxRowBytesSkipsALargerConfig() throws Exception {
    writeCatalog("{\"tier\":\"" + "w".repeat(2048) + "\"}");

    assertThat(metadataOf(parse("--msb-home", msbHome.toString()).catalog(Map.of()).get()).labels())
        .as("within the default limit")
        .containsKey("tier");
    assertThat(
            metadataOf(
                parse("--msb-home", msbHome.toString(), "--catalog-max-row-bytes", "1KiB")
                    .catalog(Map.of())
                    .get()))
        .as("over 1 KiB: skipped")
        .isNull();
    CommandLine.ParameterException bad =
        org.junit.jupiter.api.Assertions.assertThrows(
            CommandLine.ParameterException.class, () -> parse("--catalog-max-row-bytes", "0"));
    assertThat(bad).hasMessageContaining("--catalog-max-row-bytes");
  }

  @Test
  void findsTheCatalogThroughMsbHomeInTheEnvironment() throws Exception {
    writeCatalog("{\"tier\":\"web\"}");

    Optional<CatalogMetadataSource> source =
        parse().catalog(Map.of("MSB_HOME", msbHome.toString(), "HOME", "/nonexistent"));

    assertThat(source).isPresent();
    assertThat(metadataOf(source.get()).labels()).isEqualTo(Map.of("tier", "web"));
  }

  @Test
  void noLabelsStillReadsTheAllocation() throws Exception {
    writeCatalog("{\"tier\":\"web\"}");

    Optional<CatalogMetadataSource> source =
        parse("--no-labels", "--msb-home", msbHome.toString()).catalog(Map.of());

    SandboxMetadata web = metadataOf(source.orElseThrow());
    assertThat(web.labels()).isEmpty();
    assertThat(web.allocation().cpus()).isEqualTo(2);
    assertThat(web.allocation().memoryMib()).isEqualTo(1024);
  }

  @Test
  void noCatalogMeansNoCatalogAccess() {
    assertThat(parse("--no-catalog", "--msb-home", msbHome.toString()).catalog(Map.of())).isEmpty();
  }
}
