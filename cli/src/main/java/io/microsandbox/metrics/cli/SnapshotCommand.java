package io.microsandbox.metrics.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.microsandbox.metrics.json.SnapshotJson;
import io.microsandbox.metrics.registry.RegistryException;
import io.microsandbox.metrics.registry.RegistryName;
import io.microsandbox.metrics.registry.RegistryReader;
import io.microsandbox.metrics.registry.RegistryScan;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.SlotState;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code msb-metrics snapshot}: reads the registry once and prints every sandbox's latest sample. A
 * missing registry is not an error (it prints no sandboxes and exits 0); a corrupt or unreadable
 * one prints a one-line message on stderr and exits 1.
 */
@Command(
    name = "snapshot",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Reads the metrics registry once and prints every sandbox's latest sample.",
      "",
      "text (default): a line naming the registry, then one line per sandbox, e.g.",
      "  slot=0 state=active sandbox_id=1 run_id=101 pid=4242 name=\"alpha\""
          + " started_at=2023-11-14T22:13:20Z sampled_at=2023-11-14T22:14:21.234Z uptime_ms=61234"
          + " cpu_percent=137.5 vcpu_time_ns=... memory_bytes=... (every field, exact integers; '-'"
          + " when absent)",
      "json: one object {\"registry\", \"exists\", \"capacity\", \"sandboxes\": [...]};"
          + " u64 values are exact unsigned integers, absent optional fields null,"
          + " sandboxes in slot order.",
      "",
      "Exit status: 0 (also when the registry does not exist), 1 when it cannot be read."
    })
final class SnapshotCommand implements Callable<Integer> {

  @Mixin HomeOption home;

  @Option(
      names = "--include-stale",
      description = "Also print stale sandboxes (exited, or whose runtime died).")
  boolean includeStale;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text or json (default: ${DEFAULT-VALUE}).")
  TextOrJson format;

  @Spec CommandSpec spec;

  /** The environment the home is resolved from; replaced by tests. */
  Map<String, String> env = System.getenv();

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String name;
    RegistryScan scan;
    try {
      name = RegistryName.resolve(home.path, env);
      try (RegistryReader reader = RegistryReader.open(name)) {
        scan = reader.scan(includeStale);
      }
    } catch (RegistryException | IllegalArgumentException e) {
      err.println("msb-metrics: " + e.getMessage());
      err.flush();
      return 1;
    }
    if (format == TextOrJson.JSON) {
      printJson(out, name, scan);
    } else {
      printText(out, name, scan, home.describe(env));
    }
    out.flush();
    return 0;
  }

  private static void printJson(PrintWriter out, String name, RegistryScan scan)
      throws IOException {
    JsonGenerator json = new JsonFactory().createGenerator(out);
    json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    json.writeStartObject();
    json.writeStringField("registry", name);
    json.writeBooleanField("exists", scan.exists());
    json.writeFieldName("capacity");
    if (scan.exists()) {
      json.writeNumber(scan.capacity());
    } else {
      json.writeNull();
    }
    json.writeArrayFieldStart("sandboxes");
    for (SandboxSnapshot s : scan.snapshots()) {
      json.writeStartObject();
      SnapshotJson.writeFields(json, s);
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
    json.close();
    out.println();
  }

  private static void printText(PrintWriter out, String name, RegistryScan scan, String home) {
    if (!scan.exists()) {
      // the hashed name alone cannot show a wrong home: name it, and where it came from
      out.println("registry " + name + " does not exist (no sandboxes) for " + home);
      return;
    }
    out.println(
        "registry "
            + name
            + " capacity="
            + scan.capacity()
            + " sandboxes="
            + scan.snapshots().size()
            + (scan.skippedSlots() > 0 ? " skipped_slots=" + scan.skippedSlots() : ""));
    for (SandboxSnapshot s : scan.snapshots()) {
      StringBuilder line =
          new StringBuilder()
              .append("slot=")
              .append(s.slot())
              .append(" state=")
              .append(s.state() == SlotState.ACTIVE ? "active" : "stale")
              .append(" sandbox_id=")
              .append(s.sandboxId())
              .append(" run_id=")
              .append(s.runId())
              .append(" pid=")
              .append(s.pid())
              .append(" name=\"")
              .append(JsonStringEncoder.getInstance().quoteAsString(s.name()))
              .append("\" started_at=")
              .append(Instant.ofEpochMilli(s.startedAtMs()))
              .append(" sampled_at=")
              .append(Instant.ofEpochMilli(s.sampledAtMs()))
              .append(" uptime_ms=")
              .append(s.uptimeMs())
              .append(" cpu_percent=")
              .append(
                  Float.isFinite(s.cpuPercent())
                      ? SnapshotJson.shortestDecimal(s.cpuPercent())
                      : String.valueOf(s.cpuPercent()));
      for (SampleField field : SampleField.values()) {
        line.append(' ').append(field.jsonKey()).append('=');
        line.append(s.has(field) ? Long.toUnsignedString(s.raw(field)) : "-");
      }
      out.println(line);
    }
  }
}
