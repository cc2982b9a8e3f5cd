package io.microsandbox.metrics.cli.top;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.microsandbox.metrics.registry.SampleField;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON Lines of {@code top --format json}: one object per sandbox per tick. */
class TopJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static List<JsonNode> lines(TopFrame frame) throws Exception {
    StringWriter out = new StringWriter();
    TopJson.write(out, frame);
    String text = out.toString();
    assertThat(text).endsWith("\n");
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : text.split("\n")) {
      nodes.add(MAPPER.readTree(line));
    }
    return nodes;
  }

  @Test
  void everyRowIsOneObjectWithTheSnapshotKeysThenStateCpusRatesAndTheTick() throws Exception {
    List<JsonNode> rows = lines(FixedFrames.mixed());
    assertThat(rows).hasSize(4);
    List<String> keys = new ArrayList<>();
    rows.get(0).fieldNames().forEachRemaining(keys::add);
    List<String> expected =
        new ArrayList<>(
            List.of(
                "slot",
                "state",
                "sandbox_id",
                "run_id",
                "pid",
                "name",
                "started_at_ms",
                "sampled_at_ms",
                "uptime_ms",
                "cpu_percent"));
    for (SampleField f : SampleField.values()) {
      expected.add(f.jsonKey());
    }
    expected.addAll(
        List.of(
            "cpus",
            "disk_read_bytes_per_s",
            "disk_write_bytes_per_s",
            "net_rx_bytes_per_s",
            "net_tx_bytes_per_s",
            "ts_ms"));
    assertThat(keys).isEqualTo(expected);
    for (JsonNode row : rows) {
      List<String> rowKeys = new ArrayList<>();
      row.fieldNames().forEachRemaining(rowKeys::add);
      assertThat(rowKeys).isEqualTo(expected);
      assertThat(row.get("ts_ms").asLong()).isEqualTo(Samples.T0 + 500);
    }
  }

  @Test
  void valuesStateCpusAndRatesAreTheViews() throws Exception {
    List<JsonNode> rows = lines(FixedFrames.mixed());
    JsonNode api = rows.get(0);
    assertThat(api.get("name").asText()).isEqualTo("api");
    assertThat(api.get("state").asText()).isEqualTo("running");
    assertThat(api.get("cpus").isInt()).isTrue();
    assertThat(api.get("cpus").asInt()).isEqualTo(2);
    assertThat(api.get("disk_read_bytes_per_s").asDouble()).isEqualTo(1.25 * (1 << 20));
    assertThat(api.get("net_tx_bytes_per_s").asDouble()).isEqualTo(2048.0);
    assertThat(api.get("memory_bytes").isIntegralNumber()).isTrue();
    assertThat(api.get("memory_bytes").asLong()).isEqualTo(412L << 20);

    JsonNode worker = rows.get(1);
    assertThat(worker.get("cpus").isNull()).isTrue();
    assertThat(worker.get("disk_read_bytes_per_s").isNull()).isTrue();
    assertThat(worker.get("net_rx_bytes_per_s").isNull()).isTrue();
    assertThat(rows.get(2).get("state").asText()).isEqualTo("stalled");
    assertThat(rows.get(3).get("state").asText()).isEqualTo("exited");
  }

  @Test
  void unsignedCountersAreExactIntegers() throws Exception {
    TopFrame f = FixedFrames.mixed();
    TopRow r = f.rows().get(0);
    TopRow huge =
        new TopRow(
            r.snapshot().toBuilder().raw(SampleField.NET_RX_BYTES, -1L).build(),
            r.state(),
            r.allocation(),
            r.labels(),
            r.rates(),
            r.sampleAgeMs());
    StringWriter out = new StringWriter();
    TopJson.write(
        out, new TopFrame(f.atMs(), f.registry(), List.of(huge), f.totals(), 0, null, false));
    assertThat(out.toString()).contains("\"net_rx_bytes\":18446744073709551615,");
  }

  @Test
  void anEmptyTickWritesNothing() throws Exception {
    StringWriter out = new StringWriter();
    TopFrame f = FixedFrames.mixed();
    TopJson.write(out, new TopFrame(f.atMs(), f.registry(), List.of(), f.totals(), 0, null, false));
    assertThat(out.toString()).isEmpty();
  }
}
