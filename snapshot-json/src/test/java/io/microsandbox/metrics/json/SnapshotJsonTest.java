package io.microsandbox.metrics.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.SlotState;
import java.io.IOException;
import java.io.StringWriter;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SnapshotJsonTest {

  private static String render(SandboxSnapshot s) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
      json.writeStartObject();
      SnapshotJson.writeFields(json, s);
      json.writeEndObject();
    }
    return out.toString();
  }

  @Test
  void writesEveryKeyInOrderWithExactUnsignedValuesAndNullForAbsentOptionals() throws IOException {
    SandboxSnapshot s =
        SandboxSnapshot.builder()
            .slot(3)
            .state(SlotState.STALE)
            .sandboxId(-7)
            .runId(101)
            .pid(1)
            .name("al\"pha é")
            .startedAtMs(1_700_000_000_000L)
            .sampledAtMs(1_700_000_061_234L)
            .cpuPercent(137.5f)
            .raw(SampleField.VCPU_TIME_NS, -1L)
            .raw(SampleField.MEMORY_BYTES, Long.MIN_VALUE)
            .value(SampleField.MEMORY_HOST_RESIDENT_BYTES, 0)
            .raw(SampleField.MEMORY_AVAILABLE_BYTES, 5) // flag clear: absent
            .raw(SampleField.MEMORY_LIMIT_BYTES, 1)
            .raw(SampleField.DISK_READ_BYTES, 2)
            .raw(SampleField.DISK_WRITE_BYTES, 3)
            .raw(SampleField.NET_RX_BYTES, 4)
            .raw(SampleField.NET_TX_BYTES, 5)
            .value(SampleField.UPPER_HOST_ALLOCATED_BYTES, -2L)
            .build();

    assertThat(render(s))
        .isEqualTo(
            "{\"slot\":3,\"state\":\"stale\",\"sandbox_id\":-7,\"run_id\":101,\"pid\":1,"
                + "\"name\":\"al\\\"pha é\",\"started_at_ms\":1700000000000,"
                + "\"sampled_at_ms\":1700000061234,\"uptime_ms\":61234,\"cpu_percent\":137.5,"
                + "\"vcpu_time_ns\":18446744073709551615,\"memory_bytes\":9223372036854775808,"
                + "\"memory_available_bytes\":null,\"memory_host_resident_bytes\":0,"
                + "\"memory_limit_bytes\":1,\"disk_read_bytes\":2,\"disk_write_bytes\":3,"
                + "\"net_rx_bytes\":4,\"net_tx_bytes\":5,\"upper_used_bytes\":null,"
                + "\"upper_free_bytes\":null,\"upper_host_allocated_bytes\":18446744073709551614}");
  }

  @Test
  void aViewsOwnStateTakesTheStateKeysPlaceAndNothingElseChanges() throws IOException {
    SandboxSnapshot s =
        SandboxSnapshot.builder()
            .name("web")
            .sandboxId(4)
            .value(SampleField.DISK_READ_BYTES, 9)
            .build();
    StringWriter out = new StringWriter();
    try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
      json.writeStartObject();
      SnapshotJson.writeFields(json, s, "stalled");
      json.writeEndObject();
    }
    assertThat(out.toString())
        .isEqualTo(render(s).replace("\"state\":\"active\"", "\"state\":\"stalled\""));
    assertThat(out.toString()).startsWith("{\"slot\":0,\"state\":\"stalled\",\"sandbox_id\":4,");
  }

  @Test
  void nonFiniteCpuPercentIsNull() throws IOException {
    assertThat(render(SandboxSnapshot.builder().cpuPercent(Float.NaN).build()))
        .contains("\"cpu_percent\":null");
    assertThatThrownBy(() -> SnapshotJson.shortestDecimal(Float.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "137.5, 137.5",
    "12.345, 12.345",
    "0.1, 0.1",
    "-0.0, -0.0",
    "0.0, 0.0",
    "200, 200.0",
    "3.75, 3.75",
    "55.25, 55.25",
    "0.001, 0.001",
    "1.0E7, 1.0E7",
    "1.0E10, 1.0E10",
    "1.0E-5, 1.0E-5",
    "-123.456, -123.456",
    "3.4028235E38, 3.4028235E38",
    "1.4E-45, 1.0E-45", // the smallest subnormal: 1e-45 already reads back as it
  })
  void cpuPercentIsTheShortestRoundTrippingDecimal(float value, String expected) {
    assertThat(SnapshotJson.shortestDecimal(value)).isEqualTo(expected);
  }

  @Test
  void everyRenderedFloatParsesBackToTheSameBits() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 20_000; i++) {
      float f = Float.intBitsToFloat(random.nextInt());
      if (!Float.isFinite(f)) {
        continue;
      }
      String s = SnapshotJson.shortestDecimal(f);
      assertThat(Float.floatToRawIntBits(Float.parseFloat(s)))
          .as("%s rendered as %s", f, s)
          .isEqualTo(Float.floatToRawIntBits(f));
      assertThat(s.length()).as("%s", f).isLessThanOrEqualTo(Float.toString(f).length());
    }
  }
}
