package io.microsandbox.metrics.cli.top;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import io.microsandbox.metrics.json.SnapshotJson;
import java.io.IOException;
import java.io.Writer;
import org.jspecify.annotations.Nullable;

/**
 * {@code msb-metrics top --format json}: one JSON object per sandbox per tick (JSON Lines). Each
 * has the keys of {@code msb-metrics snapshot --format json} (exact unsigned integers), with {@code
 * "state"} the view's {@code running}, {@code stalled} or {@code exited}, then:
 *
 * <pre>
 * "cpus": 2 | null,                              the catalog's allocation
 * "disk_read_bytes_per_s": 8192.0 | null,        null until the run has two samples
 * "disk_write_bytes_per_s", "net_rx_bytes_per_s", "net_tx_bytes_per_s": the same
 * "ts_ms": 1700000061500                         the tick
 * </pre>
 */
public final class TopJson {
  private static final JsonFactory JSON = new JsonFactory();

  private TopJson() {}

  /** Writes one line per row of {@code frame} to {@code out} (nothing for an empty frame). */
  public static void write(Writer out, TopFrame frame) throws IOException {
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      json.setPrettyPrinter(new MinimalPrettyPrinter("\n")); // root values one per line
      for (TopRow row : frame.rows()) {
        json.writeStartObject();
        SnapshotJson.writeFields(json, row.snapshot(), row.state().label());
        json.writeFieldName("cpus");
        if (row.cpus() != null) {
          json.writeNumber(row.cpus());
        } else {
          json.writeNull();
        }
        Rates r = row.rates();
        rate(json, "disk_read_bytes_per_s", r == null ? null : r.diskRead());
        rate(json, "disk_write_bytes_per_s", r == null ? null : r.diskWrite());
        rate(json, "net_rx_bytes_per_s", r == null ? null : r.netRx());
        rate(json, "net_tx_bytes_per_s", r == null ? null : r.netTx());
        json.writeNumberField("ts_ms", frame.atMs());
        json.writeEndObject();
      }
      if (!frame.rows().isEmpty()) {
        json.writeRaw('\n');
      }
    }
  }

  private static void rate(JsonGenerator json, String key, @Nullable Double value)
      throws IOException {
    json.writeFieldName(key);
    if (value == null) {
      json.writeNull();
    } else {
      json.writeNumber(value);
    }
  }
}
