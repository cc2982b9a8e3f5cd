package io.microsandbox.metrics.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.microsandbox.metrics.registry.testing.GoldenImages;
import io.microsandbox.metrics.registry.testing.ShmFiles;
import io.microsandbox.metrics.registry.testing.TempShm;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every golden scenario read by this reader gives exactly what microsandbox's reader gave. */
class GoldenImageTest {
  @RegisterExtension final TempShm shm = new TempShm();

  static Stream<String> scenarios() {
    List<String> scenarios = GoldenImages.scenarios();
    assertThat(scenarios).as("golden scenarios in %s", GoldenImages.dir()).isNotEmpty();
    return scenarios.stream();
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void snapshotAndActiveSnapshotMatchMicrosandboxAndNoByteChanges(String scenario) {
    String name = shm.newName();
    GoldenImages.install(scenario, name);
    JsonNode expected = GoldenImages.expected(scenario);
    byte[] before = ShmFiles.read(name);

    try (RegistryReader reader = RegistryReader.open(name)) {
      // the golden read order: snapshot() first, then active_snapshot()
      RegistryScan all = reader.scan(true);
      RegistryScan active = reader.scan(false);

      assertThat(all.exists()).isTrue();
      assertThat(all.capacity()).isEqualTo(expected.get("capacity").intValue());
      assertThat(all.skippedSlots()).isZero();
      assertThat(active.skippedSlots()).isZero();
      assertThat(asGolden(all.snapshots())).isEqualTo(comparable(expected.get("snapshot")));
      assertThat(asGolden(active.snapshots()))
          .isEqualTo(comparable(expected.get("active_snapshot")));
      assertThat(all.snapshots()).hasSize(expected.get("snapshot_count").intValue());
      assertThat(active.snapshots()).hasSize(expected.get("active_snapshot_count").intValue());
      assertCpuPercentExact(all.snapshots(), expected.get("snapshot"));
    }
    assertThat(ShmFiles.read(name)).as("the reader must not write").isEqualTo(before);
    assertThat(before).isEqualTo(GoldenImages.image(scenario));
  }

  private static void assertCpuPercentExact(List<SandboxSnapshot> actual, JsonNode expected) {
    for (int i = 0; i < actual.size(); i++) {
      JsonNode e = expected.get(i);
      SandboxSnapshot s = actual.get(i);
      assertThat(s.cpuPercentBits()).isEqualTo(e.get("cpu_percent_bits").intValue());
      assertThat(Float.floatToRawIntBits((float) e.get("cpu_percent").doubleValue()))
          .as("slot %d cpu_percent", s.slot())
          .isEqualTo(s.cpuPercentBits());
    }
  }

  /** The expected list without the fields compared separately (float, formatted time). */
  private static List<JsonNode> comparable(JsonNode expectedList) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode e : expectedList) {
      ObjectNode copy = e.deepCopy();
      copy.remove("cpu_percent");
      copy.remove("timestamp_rfc3339");
      out.add(copy);
    }
    return out;
  }

  /** Our snapshots in the golden file's shape (integers exact, absent optionals null). */
  private static List<JsonNode> asGolden(List<SandboxSnapshot> snapshots) {
    List<JsonNode> out = new ArrayList<>();
    for (SandboxSnapshot s : snapshots) {
      ObjectNode n = JsonNodeFactory.instance.objectNode();
      n.put("slot", BigInteger.valueOf(s.slot()));
      n.put("state", s.state() == SlotState.ACTIVE ? "Active" : "Stale");
      n.put("sandbox_id", BigInteger.valueOf(s.sandboxId()));
      n.put("run_id", BigInteger.valueOf(s.runId()));
      n.put("pid", BigInteger.valueOf(s.pid()));
      n.put("name", s.name());
      n.put(
          "name_utf8_bytes", BigInteger.valueOf(s.name().getBytes(StandardCharsets.UTF_8).length));
      n.put("timestamp_ms", BigInteger.valueOf(s.sampledAtMs()));
      n.put("uptime_ms", BigInteger.valueOf(s.uptimeMs()));
      n.put("cpu_percent_bits", BigInteger.valueOf(Integer.toUnsignedLong(s.cpuPercentBits())));
      for (SampleField f : SampleField.values()) {
        if (s.has(f)) {
          n.put(f.jsonKey(), new BigInteger(Long.toUnsignedString(s.raw(f))));
        } else {
          n.putNull(f.jsonKey());
        }
      }
      out.add(n);
    }
    return out;
  }
}
