package io.microsandbox.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.microsandbox.metrics.registry.testing.TempShm;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Catalog labels and allocations end to end through {@code msb-metrics stdout}: a real
 * shared-memory registry and a real SQLite catalog in one MSB_HOME, the real collector, the printed
 * lines.
 */
@Timeout(60)
class StdoutLabelsTest {
  @RegisterExtension final TempShm shm = new TempShm();
  @TempDir Path home;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private LabelledHome labelled;

  @BeforeEach
  void writeRegistry() {
    labelled = new LabelledHome(shm, home);
  }

  @AfterEach
  void unmapRegistry() {
    labelled.close();
  }

  /** Runs {@code stdout} until it printed a line per sandbox, then stops it like SIGTERM. */
  private List<String> runStdout(String... extraArgs) throws Exception {
    CompletableFuture<String> stop = new CompletableFuture<>();
    CommandLine cli = StoppableCli.create(stop, out, err);
    List<String> args = new ArrayList<>(List.of("stdout", "--msb-home", home.toString()));
    args.addAll(List.of("--collect-interval", "50ms", "--flush-interval", "100ms"));
    args.addAll(List.of("--export-timeout", "5s"));
    args.addAll(List.of(extraArgs));
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(() -> cli.execute(args.toArray(String[]::new)));
    while (out.toString().lines().count() < 3 && !exit.isDone()) {
      Thread.sleep(20);
    }
    stop.complete("SIGTERM");
    assertThat(exit.get(30, TimeUnit.SECONDS)).as("stderr: %s", err).isZero();
    return out.toString().lines().collect(Collectors.toList());
  }

  private static JsonNode lineOf(List<String> jsonLines, int sandboxId) throws Exception {
    ObjectMapper json = new ObjectMapper();
    for (String line : jsonLines) {
      JsonNode node = json.readTree(line);
      if (node.path("sandbox_id").asInt() == sandboxId) {
        return node;
      }
    }
    throw new AssertionError("no line for sandbox " + sandboxId + " in " + jsonLines);
  }

  private static JsonNode labelsOf(List<String> jsonLines, int sandboxId) throws Exception {
    return lineOf(jsonLines, sandboxId).get("labels");
  }

  @Test
  void jsonShowsEachSandboxsCatalogLabelsWithoutExcludedOrIdentityKeys() throws Exception {
    labelled.writeCatalog();

    List<String> lines = runStdout("--format", "json", "--exclude-label-key", "secret");

    assertThat(labelsOf(lines, LabelledHome.WEB).toString())
        .isEqualTo("{\"tier\":\"web\",\"user.id\":\"alice\"}");
    assertThat(labelsOf(lines, LabelledHome.DB).toString()).isEqualTo("{\"tier\":\"db\"}");
    assertThat(labelsOf(lines, LabelledHome.UNLISTED).toString()).isEqualTo("{}");
    assertThat(lines)
        .allSatisfy(l -> assertThat(l).doesNotContain("impostor"))
        .anySatisfy(l -> assertThat(l).contains("\"name\":\"web\""));
  }

  @Test
  void textShowsLabelsAfterTheStandardFields() throws Exception {
    labelled.writeCatalog();

    List<String> lines = runStdout();

    assertThat(lines)
        .anySatisfy(
            l -> assertThat(l).contains("sandbox=web ").endsWith(" tier=web user.id=alice"));
  }

  @Test
  void theAllocationFollowsTheActiveConfigAndTheRegistryWhereTheCatalogIsSilent() throws Exception {
    labelled.writeCatalog();

    List<String> lines = runStdout("--format", "json");

    JsonNode web = lineOf(lines, LabelledHome.WEB);
    assertThat(web.get("cpu_limit").asInt()).isEqualTo(2);
    assertThat(web.get("memory_limit_bytes").asLong()).as("resized").isEqualTo(1024L << 20);
    JsonNode db = lineOf(lines, LabelledHome.DB);
    assertThat(db.get("cpu_limit").isNull()).isTrue();
    assertThat(db.get("memory_limit_bytes").asLong()).as("the registry's").isEqualTo(512L << 20);
  }

  @Test
  void textShowsTheAllocationInMsbMetricsStyle() throws Exception {
    labelled.writeCatalog();

    List<String> lines = runStdout();

    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("sandbox=web ")
                    .containsPattern(" cpu=\\d+\\.\\d\\d/2c mem="))
        .anySatisfy(l -> assertThat(l).contains("sandbox=web ").contains(" / 1.0 GiB "));
  }

  @Test
  void noLabelsWithholdsTheLabelsButKeepsTheAllocation() throws Exception {
    labelled.writeCatalog();

    List<String> lines = runStdout("--format", "json", "--no-labels");

    assertThat(labelsOf(lines, LabelledHome.WEB).toString()).isEqualTo("{}");
    assertThat(labelsOf(lines, LabelledHome.DB).toString()).isEqualTo("{}");
    assertThat(lineOf(lines, LabelledHome.WEB).get("cpu_limit").asInt()).isEqualTo(2);
  }

  @Test
  void noCatalogLeavesTheCatalogAlone() throws Exception {
    labelled.writeCatalog();

    List<String> lines = runStdout("--format", "json", "--no-catalog");

    JsonNode web = lineOf(lines, LabelledHome.WEB);
    assertThat(web.get("labels").toString()).isEqualTo("{}");
    assertThat(web.get("cpu_limit").isNull()).isTrue();
    assertThat(web.get("memory_limit_bytes").asLong()).isEqualTo(512L << 20);
  }

  @Test
  void keepsShippingMetricsWhenTheCatalogIsCorrupt() throws Exception {
    Files.write(
        labelled.catalogFile(), "not a database".repeat(200).getBytes(StandardCharsets.UTF_8));

    List<String> lines = runStdout("--format", "json");

    assertThat(labelsOf(lines, LabelledHome.WEB).toString()).isEqualTo("{}");
    assertThat(labelsOf(lines, LabelledHome.UNLISTED).toString()).isEqualTo("{}");
  }

  @Test
  void oversizedAndSurplusCatalogLabelsAreDroppedByTheLimits() throws Exception {
    labelled.writeCatalog();
    StringBuilder config = new StringBuilder("{\"labels\":{\"blob\":\"");
    config.append("x".repeat(300_000)).append("\",\"tier\":\"web\"");
    for (int i = 0; i < 5; i++) {
      config.append(",\"k").append(i).append("\":\"v\"");
    }
    config.append("}}");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + labelled.catalogFile());
        PreparedStatement update =
            c.prepareStatement(
                "UPDATE sandbox SET config = ?, active_config = NULL WHERE id = ?")) {
      update.setString(1, config.toString());
      update.setInt(2, LabelledHome.WEB);
      update.executeUpdate();
    }

    List<String> lines = runStdout("--format", "json", "--max-labels", "4");

    // blob (300 KB, over 2048 bytes) dropped; of the other six the first four by key kept
    assertThat(labelsOf(lines, LabelledHome.WEB).toString())
        .isEqualTo("{\"k0\":\"v\",\"k1\":\"v\",\"k2\":\"v\",\"k3\":\"v\"}");
    assertThat(labelsOf(lines, LabelledHome.DB).toString()).isEqualTo("{\"tier\":\"db\"}");
  }
}
