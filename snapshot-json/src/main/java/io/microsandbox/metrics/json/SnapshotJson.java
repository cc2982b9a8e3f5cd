package io.microsandbox.metrics.json;

import com.fasterxml.jackson.core.JsonGenerator;
import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.SlotState;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The one JSON shape of a sandbox sample, shared by {@code msb-metrics snapshot --format json} and
 * the {@code stdout --format json} exporter:
 *
 * <pre>
 * "slot": 0, "state": "active"|"stale", "sandbox_id": 1, "run_id": 101, "pid": 1,
 * "name": "alpha", "started_at_ms": ..., "sampled_at_ms": ..., "uptime_ms": ...,
 * "cpu_percent": 137.5, "vcpu_time_ns": ..., "memory_bytes": ..., "memory_available_bytes": null,
 * "memory_host_resident_bytes": null, "memory_limit_bytes": ..., "disk_read_bytes": ...,
 * "disk_write_bytes": ..., "net_rx_bytes": ..., "net_tx_bytes": ..., "upper_used_bytes": null,
 * "upper_free_bytes": null, "upper_host_allocated_bytes": null
 * </pre>
 *
 * <p>The exporter's form ({@link #writeFields(JsonGenerator, SandboxSnapshot, Allocation)}) is the
 * same with the sandbox's allocation from the catalog applied, as every exporter ships it: {@code
 * memory_limit_bytes} is the catalog's memory when known (else the registry's), and a last key
 * {@code "cpu_limit"} holds the vCPUs ({@code null} when unknown).
 *
 * <p>u64 values are exact unsigned JSON integers (18446744073709551615, never -1); absent optional
 * fields are {@code null}; {@code cpu_percent} is the shortest decimal that reads back as the same
 * 32-bit float (137.5, 0.1, -0.0), or {@code null} if it is not finite.
 */
public final class SnapshotJson {
  private SnapshotJson() {}

  /**
   * Writes the fields of {@code snapshot}, in the order above, into the JSON object {@code json}
   * has open (the caller writes the braces and may add its own fields around them).
   */
  public static void writeFields(JsonGenerator json, SandboxSnapshot snapshot) throws IOException {
    writeRegistryFields(json, snapshot, stateOf(snapshot), Allocation.UNKNOWN);
  }

  /**
   * Writes the fields of {@code snapshot} like {@link #writeFields(JsonGenerator,
   * SandboxSnapshot)}, with {@code state} as the value of {@code "state"}: for views that classify
   * a sandbox more finely than the slot does (running, stalled, exited), keeping every other key
   * and its place.
   */
  public static void writeFields(JsonGenerator json, SandboxSnapshot snapshot, String state)
      throws IOException {
    writeRegistryFields(json, snapshot, state, Allocation.UNKNOWN);
  }

  /**
   * Writes the fields of {@code snapshot} as an exporter ships them (see the class comment): the
   * registry's fields with the catalog's memory limit when known, then {@code "cpu_limit"}.
   */
  public static void writeFields(
      JsonGenerator json, SandboxSnapshot snapshot, Allocation allocation) throws IOException {
    writeRegistryFields(json, snapshot, stateOf(snapshot), allocation);
    json.writeFieldName("cpu_limit");
    if (allocation.cpus() > 0) {
      json.writeNumber(allocation.cpus());
    } else {
      json.writeNull();
    }
  }

  private static String stateOf(SandboxSnapshot snapshot) {
    return snapshot.state() == SlotState.ACTIVE ? "active" : "stale";
  }

  private static void writeRegistryFields(
      JsonGenerator json, SandboxSnapshot snapshot, String state, Allocation allocation)
      throws IOException {
    json.writeNumberField("slot", snapshot.slot());
    json.writeStringField("state", state);
    json.writeNumberField("sandbox_id", snapshot.sandboxId());
    json.writeNumberField("run_id", snapshot.runId());
    json.writeNumberField("pid", snapshot.pid());
    json.writeStringField("name", snapshot.name());
    json.writeNumberField("started_at_ms", snapshot.startedAtMs());
    json.writeNumberField("sampled_at_ms", snapshot.sampledAtMs());
    json.writeNumberField("uptime_ms", snapshot.uptimeMs());
    json.writeFieldName("cpu_percent");
    float cpu = snapshot.cpuPercent();
    if (Float.isFinite(cpu)) {
      json.writeNumber(shortestDecimal(cpu));
    } else {
      json.writeNull(); // NaN and infinities have no JSON number
    }
    for (SampleField field : SampleField.values()) {
      json.writeFieldName(field.jsonKey());
      if (field == SampleField.MEMORY_LIMIT_BYTES && allocation.memoryLimitBytes().isPresent()) {
        json.writeNumber(allocation.memoryLimitBytes().getAsLong());
      } else if (snapshot.has(field)) {
        json.writeNumber(Long.toUnsignedString(snapshot.raw(field)));
      } else {
        json.writeNull();
      }
    }
  }

  /**
   * The shortest decimal that parses back to exactly {@code value} as a float, in the notation of
   * {@link Float#toString(float)} (plain between 10^-3 and 10^7, else d.dddE±n; always a fraction
   * or exponent, so it reads as a floating-point number): 137.5, 0.1, -0.0, 1.0E10.
   *
   * <p>{@code Float.toString} itself does not always give the shortest digits before Java 19
   * (JDK-4511638), hence the search.
   *
   * @throws IllegalArgumentException when {@code value} is NaN or infinite
   */
  public static String shortestDecimal(float value) {
    if (!Float.isFinite(value)) {
      throw new IllegalArgumentException("not a finite float: " + value);
    }
    if (value == 0f) {
      return Float.floatToRawIntBits(value) < 0 ? "-0.0" : "0.0";
    }
    BigDecimal exact = new BigDecimal(value);
    BigDecimal shortest = exact;
    for (int digits = 1; digits <= 9; digits++) { // 9 significant digits always round-trip
      BigDecimal candidate = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (candidate.floatValue() == value) {
        shortest = candidate;
        break;
      }
    }
    shortest = shortest.stripTrailingZeros();
    float magnitude = Math.abs(value);
    if (magnitude >= 1e-3f && magnitude < 1e7f) {
      String plain = shortest.toPlainString();
      return plain.indexOf('.') >= 0 ? plain : plain + ".0";
    }
    String unscaled = shortest.unscaledValue().abs().toString();
    int exponent = unscaled.length() - 1 - shortest.scale();
    String fraction = unscaled.length() > 1 ? unscaled.substring(1) : "0";
    return (value < 0 ? "-" : "") + unscaled.charAt(0) + "." + fraction + "E" + exponent;
  }
}
