package io.microsandbox.metrics.stdout.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.io.IOException;
import java.util.Locale;

/** Writes one sample's fields with the keys of the {@code snapshot} command's sandbox objects. */
public final class SampleJson {
  private SampleJson() {}

  /** Writes the sample's fields into the current object of {@code g}. */
  public static void writeFields(JsonGenerator g, SandboxSnapshot s) throws IOException {
    g.writeNumberField("slot", s.slot());
    g.writeStringField("state", s.state().name().toLowerCase(Locale.ROOT));
    g.writeNumberField("sandbox_id", s.sandboxId());
    g.writeNumberField("run_id", s.runId());
    g.writeNumberField("pid", s.pid());
    g.writeStringField("name", s.name());
    g.writeNumberField("started_at_ms", s.startedAtMs());
    g.writeNumberField("sampled_at_ms", s.sampledAtMs());
    g.writeNumberField("uptime_ms", s.uptimeMs());
    g.writeNumberField("sample_flags", Integer.toUnsignedLong(s.sampleFlags()));
    g.writeNumberField("cpu_percent", s.cpuPercent());
    g.writeNumberField("cpu_percent_bits", Integer.toUnsignedLong(s.cpuPercentBits()));
    for (SampleField f : SampleField.values()) {
      g.writeFieldName(f.jsonKey());
      if (s.has(f)) {
        g.writeNumber(Long.toUnsignedString(s.raw(f)));
      } else {
        g.writeNull();
      }
    }
  }
}
