package io.microsandbox.metrics.endpoints.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.microsandbox.metrics.collector.CollectorStatus;
import io.microsandbox.metrics.collector.ExporterStatus;
import io.microsandbox.metrics.collector.RegistryStatus;
import io.microsandbox.metrics.collector.spool.SpoolStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Writes the {@code /status} document. Everything in it comes from {@link CollectorStatus}, which
 * holds no endpoint, header or credential; an exporter's last error is the exporter's own wording
 * with every endpoint in it replaced by {@code <endpoint>}, so the document shows no endpoint (as
 * the README promises) even when an exporter names its URL in its errors:
 *
 * <pre>
 *   "HTTP 503 from https://u:p@otlp.example.com/v1/metrics: busy"  --&gt; "HTTP 503 from &lt;endpoint&gt;: busy"
 *   "connection refused: Failed to connect to otlp/10.0.0.5:4317"   --&gt; "... to &lt;endpoint&gt;"
 * </pre>
 *
 * <p>Replaced: URLs ({@code scheme://...} up to a space, quote, bracket or parenthesis), and
 * addresses with a port ({@code host.domain:port}, {@code 1.2.3.4:port}, {@code [::1]:port}).
 */
public final class StatusJson {
  private static final JsonFactory JSON = new JsonFactory();

  /** What an endpoint in an error message becomes. */
  public static final String ENDPOINT = "<endpoint>";

  private static final Pattern ENDPOINTS =
      Pattern.compile(
          // a URL: its last character is no sentence punctuation ("from URL: busy")
          "[A-Za-z][A-Za-z0-9+.-]*://(?:\\[[^\\]\\s]*\\])?(?:[^\\s\"'()<>\\[\\]]*[^\\s\"'()<>\\[\\]:,.;])?"
              // an address with a port, with the host name Java puts before it (host/1.2.3.4:80)
              + "|(?:[A-Za-z0-9.-]*/)?\\[[0-9A-Fa-f:.]+\\](?::\\d{1,5})?"
              + "|(?:[A-Za-z0-9.-]*/)?\\b[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+:\\d{1,5}\\b"
              + "|\\blocalhost:\\d{1,5}\\b");

  private StatusJson() {}

  /**
   * {@code message} with every endpoint (URL, address with a port) replaced by {@code <endpoint>}.
   */
  public static String redact(String message) {
    return ENDPOINTS.matcher(message).replaceAll(ENDPOINT);
  }

  /**
   * The document.
   *
   * @param s the collector's status
   * @param version the build version
   * @param healthy the liveness verdict
   * @param ready the readiness verdict
   */
  public static byte[] write(CollectorStatus s, String version, boolean healthy, boolean ready) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("version", version);
      g.writeBooleanField("healthy", healthy);
      g.writeBooleanField("ready", ready);
      g.writeObjectFieldStart("collector");
      seconds(g, "collect_interval_seconds", s.collectInterval());
      seconds(g, "max_sample_age_seconds", s.maxSampleAge());
      g.writeBooleanField("labels", s.labels());
      g.writeNumberField("collections", s.collections());
      time(g, "last_collection", s.lastCollectionAt());
      seconds(g, "since_last_tick_seconds", s.sinceLastTick());
      string(g, "last_read_error", s.lastReadError());
      g.writeEndObject();
      if (s.registry().isPresent()) {
        RegistryStatus r = s.registry().get();
        g.writeObjectFieldStart("registry");
        g.writeStringField("name", r.name());
        g.writeBooleanField("exists", r.exists());
        g.writeEndObject();
      } else {
        g.writeNullField("registry");
      }
      g.writeNumberField("sandboxes", s.sandboxes());
      g.writeArrayFieldStart("exporters");
      for (ExporterStatus e : s.exporters()) {
        exporter(g, e);
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }

  private static void exporter(JsonGenerator g, ExporterStatus e) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", e.name());
    // an exporter fed every collection (the scrape's) has no flush interval to show: a periodic
    // one would read as "exports every 10 s" while it exports every second
    g.writeBooleanField("flush_on_collect", e.flushOnCollect());
    if (e.flushOnCollect()) {
      g.writeNullField("flush_interval_seconds");
    } else {
      seconds(g, "flush_interval_seconds", e.flushInterval());
    }
    g.writeNumberField("max_buffered", e.maxBuffered());
    seconds(g, "export_timeout_seconds", e.exportTimeout());
    g.writeNumberField("buffered_collections", e.bufferedCollections());
    g.writeNumberField("exports_success", e.exportsSuccess());
    g.writeNumberField("exports_failure", e.exportsFailure());
    g.writeNumberField("consecutive_failures", e.consecutiveFailures());
    g.writeNumberField("collections_dropped", e.collectionsDropped());
    time(g, "last_success", e.lastSuccessAt());
    string(g, "last_error", e.lastError().map(StatusJson::redact));
    time(g, "last_error_at", e.lastErrorAt());
    string(g, "fatal_error", e.fatalError().map(StatusJson::redact));
    // fed every collection and not retrying: the next attempt is the next collection, not a time
    time(
        g,
        "next_attempt",
        e.flushOnCollect() && e.consecutiveFailures() == 0 ? Optional.empty() : e.nextAttemptAt());
    if (e.spool().isPresent()) {
      SpoolStats sp = e.spool().get();
      g.writeObjectFieldStart("spool");
      g.writeNumberField("collections", sp.collections());
      g.writeNumberField("bytes", sp.bytes());
      g.writeNumberField("max_bytes", sp.maxBytes());
      g.writeNumberField("oldest_age_seconds", sp.oldestAgeMs() / 1000.0);
      g.writeNumberField("dropped_capacity", sp.droppedCapacity());
      g.writeNumberField("dropped_age", sp.droppedAge());
      g.writeNumberField("dropped_damaged", sp.droppedDamaged());
      g.writeEndObject();
    } else {
      g.writeNullField("spool");
    }
    g.writeEndObject();
  }

  private static void seconds(JsonGenerator g, String field, Duration d) throws IOException {
    g.writeNumberField(field, d.toNanos() / 1e9);
  }

  private static void time(JsonGenerator g, String field, Optional<Instant> t) throws IOException {
    if (t.isPresent()) {
      g.writeStringField(field, t.get().toString());
    } else {
      g.writeNullField(field);
    }
  }

  private static void string(JsonGenerator g, String field, Optional<String> s) throws IOException {
    if (s.isPresent()) {
      g.writeStringField(field, s.get());
    } else {
      g.writeNullField(field);
    }
  }
}
