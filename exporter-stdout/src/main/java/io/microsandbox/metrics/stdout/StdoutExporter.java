package io.microsandbox.metrics.stdout;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.ExportResult;
import io.microsandbox.metrics.collector.MetricsExporter;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.json.SnapshotJson;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.stdout.internal.TextLine;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Prints every buffered sample as one line: human-readable text (the format of the Rust {@code
 * msb-metrics stdout}) or one JSON object per line.
 *
 * <p>Each sample is printed once: a collection that carries a sandbox's sample again (same run,
 * same sample time: a runtime that stopped sampling, until the reader sees it gone) prints nothing
 * for it.
 *
 * <p>Text, one line per sandbox per collection, at the sample's own time, then its labels:
 *
 * <pre>
 * 2026-05-30T02:44:31Z sandbox=devbox id=33 cpu=0.000107 mem=13.6 MiB / 512.0 MiB disk_r=89.3 MiB
 *   disk_w=644.7 MiB net_rx=48.0 MiB net_tx=268.5 KiB uptime=2475m15s team=infra
 * 2026-05-30T02:44:32Z (no active sandboxes)
 * (dropped 3 collections while the buffer was full)
 * </pre>
 *
 * <p>With the sandbox's allocation known from the catalog, the CPU reads as microsandbox's {@code
 * msb metrics} shows it, {@code cpu=0.80/2c} (busy vCPUs / vCPUs allocated), and the memory limit
 * is the catalog's. The last form starts a batch that follows buffer drops. Names and label values
 * that contain spaces, quotes or {@code =} are printed in double quotes so that the line stays
 * parseable.
 *
 * <p>JSON (a stable schema): per sample {@code {"collected_at_ms": n, ...the snapshot command's
 * sandbox keys..., "cpu_limit": n|null, "labels": {...}}}; {@code {"collected_at_ms": n,
 * "sandboxes": 0}} for an empty collection; a batch that follows dropped collections starts with
 * {@code {"dropped_collections": n}}. Unsigned values are printed exactly; {@code
 * memory_limit_bytes} is the limit every exporter ships (the catalog's when known, see {@link
 * SnapshotJson}).
 *
 * <p>A whole batch is written and flushed at once. A write error (a closed pipe, a full disk; also
 * the sticky error flag of a {@link PrintWriter} or {@link PrintStream}, which swallow exceptions)
 * is final: that batch is rejected as {@link ExportResult#closed} (nothing counted as exported, no
 * error logged per batch), nothing more is written, every later batch is rejected at once, and the
 * {@link Builder#onOutputFailure} callback runs once so that the program can stop, as a Unix tool
 * does when its output goes away.
 */
public final class StdoutExporter implements MetricsExporter {

  /** The output format. */
  public enum Format {
    /** One human-readable line per sample. */
    TEXT,
    /** One JSON object per sample per line. */
    JSON
  }

  private static final JsonFactory JSON = new JsonFactory();

  private final Format format;
  private final Writer out;
  // the stream behind out, when it swallows its errors
  private final @Nullable PrintStream errorFlag;
  private final Runnable onOutputFailure;
  // the sample printed last per slot; only the exporting thread touches it
  private final Map<Integer, Printed> printed = new HashMap<>();
  private volatile @Nullable String outputFailure;

  private StdoutExporter(Builder b) {
    this.format = b.format;
    this.out = b.out;
    this.errorFlag = b.errorFlag;
    this.onOutputFailure = b.onOutputFailure;
  }

  /** A builder printing text to {@link System#out}. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "stdout";
  }

  @Override
  public ExportResult export(ExportBatch batch) throws IOException {
    if (outputFailure != null) {
      return ExportResult.closed(outputFailure);
    }
    Set<SandboxSnapshot> repeats = repeats(batch);
    String text = format == Format.JSON ? renderJson(batch, repeats) : renderText(batch, repeats);
    String failure = null;
    try {
      out.write(text);
      out.flush();
    } catch (IOException e) {
      failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    if (failure == null && swallowedAnError()) {
      failure = "write error";
    }
    if (failure == null) {
      return ExportResult.success(batch.sampleCount());
    }
    outputFailure = "the output is closed or failing (" + failure + "); nothing more is printed";
    onOutputFailure.run();
    return ExportResult.closed(outputFailure);
  }

  /** Whether writing failed for good (a closed pipe, a full disk): nothing more is printed. */
  public boolean outputFailed() {
    return outputFailure != null;
  }

  @Override
  public void shutdown() throws IOException {
    if (outputFailure == null) {
      out.flush();
    }
  }

  private boolean swallowedAnError() {
    return (out instanceof PrintWriter && ((PrintWriter) out).checkError())
        || (errorFlag != null && errorFlag.checkError());
  }

  /**
   * The samples of {@code batch} already printed: the same sandbox run with the same sample time as
   * the one printed last for its slot. A runtime that stopped sampling (killed, or slow) leaves its
   * last sample in the registry, and the reader reports it again until it is recognised as gone or
   * stale; printed again it would read as a new line of the same values.
   */
  private Set<SandboxSnapshot> repeats(ExportBatch batch) {
    Set<SandboxSnapshot> repeats = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<Integer> seen = new HashSet<>();
    for (SnapshotCollection c : batch.collections()) {
      seen.clear();
      for (SandboxSnapshot s : c.snapshots()) {
        Printed sample = new Printed(s.runId(), s.sampledAtMs());
        seen.add(s.slot());
        if (sample.equals(printed.put(s.slot(), sample))) {
          repeats.add(s);
        }
      }
      printed.keySet().retainAll(seen); // bounded by the slots of the latest collection
    }
    return repeats;
  }

  /** The sample printed last for a slot. */
  private record Printed(int runId, long sampledAtMs) {}

  /** The lines one batch prints as text (exposed for tests of the format). */
  static String renderText(ExportBatch batch) {
    return renderText(batch, Set.of());
  }

  /** The lines one batch prints as text, leaving out {@code skip} (samples already printed). */
  static String renderText(ExportBatch batch, Set<SandboxSnapshot> skip) {
    StringBuilder sb = new StringBuilder();
    if (batch.droppedCollections() > 0) {
      sb.append("(dropped ")
          .append(batch.droppedCollections())
          .append(" collections while the buffer was full)\n");
    }
    for (SnapshotCollection c : batch.collections()) {
      if (c.snapshots().isEmpty()) {
        TextLine.appendEmpty(sb, c.collectedAtMs());
      }
      for (SandboxSnapshot s : c.snapshots()) {
        if (!skip.contains(s)) {
          TextLine.append(sb, s, c.allocation(s), c.labels(s));
        }
      }
    }
    return sb.toString();
  }

  /** The lines one batch prints as JSON. */
  static String renderJson(ExportBatch batch) throws IOException {
    return renderJson(batch, Set.of());
  }

  /** The lines one batch prints as JSON, leaving out {@code skip} (samples already printed). */
  static String renderJson(ExportBatch batch, Set<SandboxSnapshot> skip) throws IOException {
    StringWriter sw = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(sw)) {
      g.setRootValueSeparator(null);
      if (batch.droppedCollections() > 0) {
        g.writeStartObject();
        g.writeNumberField("dropped_collections", batch.droppedCollections());
        g.writeEndObject();
        g.flush();
        sw.write('\n');
      }
      for (SnapshotCollection c : batch.collections()) {
        if (c.snapshots().isEmpty()) {
          g.writeStartObject();
          g.writeNumberField("collected_at_ms", c.collectedAtMs());
          g.writeNumberField("sandboxes", 0);
          g.writeEndObject();
          g.flush();
          sw.write('\n');
        }
        for (SandboxSnapshot s : c.snapshots()) {
          if (skip.contains(s)) {
            continue;
          }
          g.writeStartObject();
          g.writeNumberField("collected_at_ms", c.collectedAtMs());
          SnapshotJson.writeFields(g, s, c.allocation(s));
          g.writeObjectFieldStart("labels");
          for (Map.Entry<String, String> e : TextLine.sorted(c.labels(s)).entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
          }
          g.writeEndObject();
          g.writeEndObject();
          g.flush();
          sw.write('\n');
        }
      }
    }
    return sw.toString();
  }

  /** Builds a {@link StdoutExporter}. */
  public static final class Builder {
    private Format format = Format.TEXT;
    private Writer out = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
    private @Nullable PrintStream errorFlag = System.out;
    private Runnable onOutputFailure = () -> {};

    private Builder() {}

    /** Text (default) or JSON lines. */
    public Builder format(Format format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    /** Prints to {@code out} (UTF-8); default {@link System#out}. Not closed by the exporter. */
    public Builder output(OutputStream out) {
      this.out = new OutputStreamWriter(Objects.requireNonNull(out, "out"), StandardCharsets.UTF_8);
      this.errorFlag = out instanceof PrintStream ? (PrintStream) out : null;
      return this;
    }

    /** Prints to {@code out}. Not closed by the exporter. */
    public Builder output(Writer out) {
      this.out = Objects.requireNonNull(out, "out");
      this.errorFlag = null;
      return this;
    }

    /**
     * Also treats the error flag of {@code stream} as a failed write: for a {@link #output(Writer)
     * Writer} that ends in a {@link PrintStream} such as {@link System#out}, which swallows its
     * write errors instead of passing them on.
     */
    public Builder checkErrorsOf(PrintStream stream) {
      this.errorFlag = Objects.requireNonNull(stream, "stream");
      return this;
    }

    /**
     * Runs {@code callback} once, on the export thread, when writing fails for good (for example
     * the reader of a pipe went away); the {@code stdout} command stops then. Default: nothing.
     */
    public Builder onOutputFailure(Runnable callback) {
      this.onOutputFailure = Objects.requireNonNull(callback, "callback");
      return this;
    }

    /** Builds the exporter. */
    public StdoutExporter build() {
      return new StdoutExporter(this);
    }
  }
}
