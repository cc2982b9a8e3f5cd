package io.microsandbox.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.microsandbox.metrics.registry.RegistryLayout;
import io.microsandbox.metrics.registry.RegistryName;
import io.microsandbox.metrics.registry.testing.GoldenImages;
import io.microsandbox.metrics.registry.testing.ShmFiles;
import io.microsandbox.metrics.registry.testing.TempShm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code msb-metrics snapshot} run in-process against microsandbox's golden images. */
class SnapshotCommandTest {
  @RegisterExtension final TempShm shm = new TempShm();
  @TempDir Path tempDir;

  private static CliRun run(Map<String, String> env, String... args) {
    return CliRun.run(
        created -> {
          if (created instanceof SnapshotCommand) {
            ((SnapshotCommand) created).env = env; // the test's environment, not the JVM's
          }
        },
        args);
  }

  /** Plants golden {@code scenario} as the registry of a fresh home; returns the home. */
  private String homeWithGolden(String scenario) {
    String home = tempDir.resolve("home-" + scenario).toString();
    GoldenImages.install(scenario, shm.track(RegistryName.forHome(home)));
    return home;
  }

  static Stream<Arguments> scenarios() {
    return GoldenImages.scenarios().stream()
        .flatMap(s -> Stream.of(Arguments.of(s, true), Arguments.of(s, false)));
  }

  @ParameterizedTest(name = "{0} include-stale={1}")
  @MethodSource("scenarios")
  void jsonReproducesEveryGoldenScenario(String scenario, boolean includeStale) throws Exception {
    String home = homeWithGolden(scenario);
    CliRun run =
        includeStale
            ? run(Map.of(), "snapshot", "--msb-home", home, "--format", "json", "--include-stale")
            : run(Map.of(), "snapshot", "--msb-home", home, "--format", "json");

    assertThat(run.err).isEmpty();
    assertThat(run.exit).isZero();
    JsonNode golden = GoldenImages.expected(scenario);
    ObjectNode expected = JsonNodeFactory.instance.objectNode();
    expected.put("registry", RegistryName.forHome(home));
    expected.put("exists", true);
    expected.set("capacity", golden.get("capacity"));
    expected.set(
        "sandboxes",
        toCommandShape(golden.get(includeStale ? "snapshot" : "active_snapshot"), golden));
    JsonNode actual = GoldenImages.JSON.readTree(run.out);
    assertThat(actual).isEqualTo(expected);
    assertThat(keys(actual.get("sandboxes").get(0)))
        .containsExactly(
            "slot",
            "state",
            "sandbox_id",
            "run_id",
            "pid",
            "name",
            "started_at_ms",
            "sampled_at_ms",
            "uptime_ms",
            "cpu_percent",
            "vcpu_time_ns",
            "memory_bytes",
            "memory_available_bytes",
            "memory_host_resident_bytes",
            "memory_limit_bytes",
            "disk_read_bytes",
            "disk_write_bytes",
            "net_rx_bytes",
            "net_tx_bytes",
            "upper_used_bytes",
            "upper_free_bytes",
            "upper_host_allocated_bytes");
    assertThat(ShmFiles.read(RegistryName.forHome(home))).isEqualTo(GoldenImages.image(scenario));
  }

  /** The golden list in the command's shape; started_at_ms comes from the raw slot dump. */
  private static ArrayNode toCommandShape(JsonNode goldenList, JsonNode golden) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (JsonNode g : goldenList) {
      ObjectNode n = out.addObject();
      n.set("slot", g.get("slot"));
      n.put("state", g.get("state").asText().toLowerCase(Locale.ROOT));
      n.set("sandbox_id", g.get("sandbox_id"));
      n.set("run_id", g.get("run_id"));
      n.set("pid", g.get("pid"));
      n.set("name", g.get("name"));
      n.set(
          "started_at_ms",
          golden.get("raw_before").get("slots").get(g.get("slot").intValue()).get("started_at_ms"));
      n.set("sampled_at_ms", g.get("timestamp_ms"));
      n.set("uptime_ms", g.get("uptime_ms"));
      n.set("cpu_percent", g.get("cpu_percent"));
      for (String key :
          new String[] {
            "vcpu_time_ns", "memory_bytes", "memory_available_bytes", "memory_host_resident_bytes",
            "memory_limit_bytes", "disk_read_bytes", "disk_write_bytes", "net_rx_bytes",
            "net_tx_bytes", "upper_used_bytes", "upper_free_bytes", "upper_host_allocated_bytes"
          }) {
        n.set(key, g.get(key));
      }
    }
    return out;
  }

  private static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      keys.add(it.next());
    }
    return keys;
  }

  @Test
  void missingRegistryIsNoSandboxesAndExitZero() throws Exception {
    String home = tempDir.resolve("nothing-here").toString();
    CliRun run = run(Map.of(), "snapshot", "--msb-home", home, "--format", "json");
    assertThat(run.exit).isZero();
    assertThat(run.err).isEmpty();
    assertThat(run.out.trim())
        .isEqualTo(
            "{\"registry\":\""
                + RegistryName.forHome(home)
                + "\",\"exists\":false,\"capacity\":null,\"sandboxes\":[]}");

    CliRun text = run(Map.of(), "snapshot", "--msb-home", home);
    assertThat(text.exit).isZero();
    assertThat(text.out)
        .contains(
            "does not exist (no sandboxes) for microsandbox home " + home + " (from --msb-home)");
    CliRun fromEnv = run(Map.of("MSB_HOME", home), "snapshot");
    assertThat(fromEnv.out).contains("for microsandbox home " + home + " (from MSB_HOME)");
  }

  @Test
  void msbHomeFromTheEnvironmentAndFlagOverridesIt() {
    String home = homeWithGolden("basic");
    CliRun fromEnv = run(Map.of("MSB_HOME", home), "snapshot", "--format", "json");
    assertThat(fromEnv.out).contains(RegistryName.forHome(home)).contains("\"exists\":true");

    String other = tempDir.resolve("other").toString();
    CliRun overridden =
        run(Map.of("MSB_HOME", home), "snapshot", "--msb-home", other, "--format", "json");
    assertThat(overridden.out).contains(RegistryName.forHome(other)).contains("\"exists\":false");
  }

  @Test
  void textPrintsOneLinePerSandbox() {
    String home = homeWithGolden("edge");
    CliRun run = run(Map.of(), "snapshot", "--msb-home", home, "--include-stale");
    assertThat(run.exit).isZero();
    int expected = GoldenImages.expected("edge").get("snapshot_count").intValue();
    String[] lines = run.out.split("\n");
    assertThat(lines).hasSize(1 + expected);
    assertThat(lines[0]).contains("capacity=16").contains("sandboxes=" + expected);
    assertThat(run.out)
        .contains("state=stale sandbox_id=105")
        .contains("memory_bytes=18446744073709551615")
        .contains("memory_host_resident_bytes=-");
  }

  @Test
  void corruptRegistryIsOneLineOnStderrAndExitOne() {
    String home = homeWithGolden("basic");
    ShmFiles.pokeInt(RegistryName.forHome(home), RegistryLayout.H_VERSION, 2);
    CliRun run = run(Map.of(), "snapshot", "--msb-home", home, "--format", "json");
    assertThat(run.exit).isEqualTo(1);
    assertThat(run.out).isEmpty();
    assertThat(run.err)
        .isEqualTo(
            "msb-metrics: metrics registry "
                + RegistryName.forHome(home)
                + ": unsupported layout version 2 (expected 3)"
                + System.lineSeparator());
  }

  @Test
  void noHomeAtAllIsAnError() {
    CliRun run = run(Map.of(), "snapshot");
    assertThat(run.exit).isEqualTo(1);
    assertThat(run.err).startsWith("msb-metrics: cannot locate the microsandbox home");
  }
}
