package io.microsandbox.metrics.prometheus;

import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.ExportResult;
import io.microsandbox.metrics.collector.ExporterConfig;
import io.microsandbox.metrics.collector.MetricsExporter;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.prometheus.internal.AcceptHeader;
import io.microsandbox.metrics.prometheus.internal.ExpositionBuilder;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.config.ExporterProperties;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link MetricsExporter} for Prometheus's pull model: each batch's latest collection becomes the
 * exposition every scrape serves until the next one. A scrape never reads the registry and never
 * waits for the collector; it encodes the immutable exposition the worker built last.
 *
 * <pre>{@code
 * PrometheusExporter prometheus = PrometheusExporter.builder().build();
 * MetricsCollector.builder()
 *     .register(prometheus, PrometheusExporter.exporterConfig())   // every collection at once
 *     .build()
 *     .start();
 * ...
 * Scrape s = prometheus.scrape(acceptHeader);  // from your HTTP handler
 * }</pre>
 *
 * <p>What a scrape holds: every {@link io.microsandbox.metrics.series.SandboxSeries} under its
 * Prometheus name with labels {@code sandbox_name}, {@code sandbox_id}, opt-in {@code
 * sandbox_run_id} / {@code sandbox_pid} and the sandbox's catalog labels (sanitised, an identity
 * label winning over a catalog label of the same name); the exporter's own {@link
 * io.microsandbox.metrics.series.CollectorSeries}; and {@code target_info} with the resource
 * attributes. A sandbox missing from the latest collection (it stopped) is missing from the scrape,
 * so Prometheus marks its series stale at once. No sample carries a timestamp unless {@link
 * Builder#sampleTimestamps(boolean)} asks for each sample's own time.
 *
 * <p>Formats, by the scraper's {@code Accept} header: Prometheus text 0.0.4 (the default),
 * OpenMetrics 1.0 text, and the Prometheus protobuf format.
 */
public final class PrometheusExporter implements MetricsExporter {
  private final ExpositionBuilder builder;
  // the text format's timestamps in milliseconds, as Prometheus parses them (the client's default
  // writes seconds); no created timestamps (they would add *_created series)
  private final ExpositionFormats formats =
      ExpositionFormats.init(
          ExporterProperties.builder()
              .prometheusTimestampsInMs(true)
              .includeCreatedTimestamps(false)
              .build());
  private volatile MetricSnapshots latest; // written by the export thread, read by scrapes
  private volatile boolean hasCollection;
  // the last encoding: scrapes of one collection in one format share its bytes, so clients that
  // never read their answer hold one copy between them, not one each
  private volatile @Nullable Encoded lastEncoded;

  private record Encoded(
      MetricSnapshots source,
      ExpositionFormatWriter writer,
      EscapingScheme scheme,
      Scrape scrape) {}

  private PrometheusExporter(Builder b) {
    this.builder = new ExpositionBuilder(b.emitRunId, b.emitPid, b.sampleTimestamps, b.resource);
    this.latest = builder.empty();
  }

  /** A builder: no run id, no pid, no timestamps, resource {@code service.name=microsandbox}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The registration settings this exporter needs: every collection handed over as soon as it is
   * taken (so a scrape serves the latest), a buffer of one collection (older ones are never
   * served).
   */
  public static ExporterConfig exporterConfig() {
    return ExporterConfig.builder().flushOnCollect(true).maxBuffered(1).build();
  }

  @Override
  public String name() {
    return "prometheus";
  }

  /** Keeps the batch's latest collection as the exposition; never fails. */
  @Override
  public ExportResult export(ExportBatch batch) {
    List<SnapshotCollection> collections = batch.collections();
    SnapshotCollection newest = collections.get(collections.size() - 1);
    latest = builder.build(newest, batch.telemetry());
    hasCollection = true;
    return ExportResult.success(ExpositionBuilder.points(newest));
  }

  /** Whether a collection arrived yet; before that a scrape holds only {@code target_info}. */
  public boolean hasCollection() {
    return hasCollection;
  }

  /**
   * Encodes the latest exposition in the format {@code accept} asks for. Scrapes of the same
   * collection in the same format get the same answer, encoded once.
   *
   * @param accept the request's {@code Accept} header, or null for the text format
   * @return the content type and body to answer with (shared: never modify the body)
   */
  public Scrape scrape(@Nullable String accept) {
    // the client library looks for a format's name anywhere in the header; reduced to the one
    // range the client prefers most, its q-values count
    String chosen = AcceptHeader.preferred(accept, this::serves);
    ExpositionFormatWriter writer = formats.findWriter(chosen);
    EscapingScheme scheme = EscapingScheme.fromAcceptHeader(chosen);
    MetricSnapshots snapshots = latest;
    Encoded last = lastEncoded;
    if (last != null
        && last.source() == snapshots
        && last.writer() == writer
        && last.scheme() == scheme) {
      return last.scrape();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      writer.write(out, snapshots, scheme);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    Scrape scrape = new Scrape(writer.getContentType(), out.toByteArray());
    lastEncoded = new Encoded(snapshots, writer, scheme, scrape);
    return scrape;
  }

  /** Whether one media range names a format this exporter serves. */
  private boolean serves(String range) {
    String type = range.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return type.equals("*/*")
        || type.equals("text/*")
        || type.equals("text/plain")
        || formats.getOpenMetricsTextFormatWriter().accepts(range)
        || formats.getPrometheusProtobufWriter().accepts(range);
  }

  /**
   * The latest exposition as a Prometheus client collector, for an embedder who already serves a
   * {@code PrometheusRegistry}: {@code registry.register(exporter.asCollector())}.
   */
  public MultiCollector asCollector() {
    return () -> latest;
  }

  /** Configures a {@link PrometheusExporter}. */
  public static final class Builder {
    private boolean emitRunId;
    private boolean emitPid;
    private boolean sampleTimestamps;
    private final Map<String, String> resource = new LinkedHashMap<>();

    private Builder() {
      resource.put("service.name", "microsandbox");
    }

    /** Adds {@code sandbox_run_id} to every sandbox series (a new series per restart). */
    public Builder emitRunId(boolean emitRunId) {
      this.emitRunId = emitRunId;
      return this;
    }

    /** Adds {@code sandbox_pid} to every sandbox series (a new series per restart). */
    public Builder emitPid(boolean emitPid) {
      this.emitPid = emitPid;
      return this;
    }

    /**
     * Stamps each sandbox sample with its own sample time instead of leaving the time to the
     * scrape. Off by default: with explicit timestamps Prometheus writes no staleness marker when a
     * sandbox stops (its series lingers for the lookback window, 5 minutes by default, unless the
     * scrape config sets {@code track_timestamps_staleness: true}), and a sample time older than
     * the newest one Prometheus holds for the series is rejected as out of order.
     */
    public Builder sampleTimestamps(boolean sampleTimestamps) {
      this.sampleTimestamps = sampleTimestamps;
      return this;
    }

    /**
     * Adds a resource attribute to {@code target_info} (its key sanitised like a label name);
     * overrides an earlier one of the same key, including the default {@code service.name}.
     */
    public Builder resourceAttribute(String key, String value) {
      resource.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Builds the exporter. */
    public PrometheusExporter build() {
      return new PrometheusExporter(this);
    }
  }
}
