package io.microsandbox.metrics.prometheus.internal;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.series.CollectorSeries;
import io.microsandbox.metrics.series.PrometheusLabelNames;
import io.microsandbox.metrics.series.SandboxSeries;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Builds the exposition of one collection: one family per {@link SandboxSeries} (one point per
 * sandbox that has the value), one per {@link CollectorSeries} (the exporter's own pipeline), and
 * {@code target_info} with the resource attributes. Runs on the exporter's worker thread; the
 * result is immutable and served as is by every scrape until the next collection.
 */
public final class ExpositionBuilder {
  /** Identity label: the sandbox's name. */
  public static final String SANDBOX_NAME = "sandbox_name";

  /** Identity label: the catalog sandbox id. */
  public static final String SANDBOX_ID = "sandbox_id";

  /** Opt-in identity label: the run id (a new one per restart). */
  public static final String SANDBOX_RUN_ID = "sandbox_run_id";

  /** Opt-in identity label: the runtime's pid. */
  public static final String SANDBOX_PID = "sandbox_pid";

  private static final Set<String> IDENTITY =
      Set.of(SANDBOX_NAME, SANDBOX_ID, SANDBOX_RUN_ID, SANDBOX_PID);

  private final boolean emitRunId;
  private final boolean emitPid;
  private final boolean sampleTimestamps;
  private final InfoSnapshot targetInfo;

  /**
   * Creates a builder.
   *
   * @param emitRunId add {@code sandbox_run_id}
   * @param emitPid add {@code sandbox_pid}
   * @param sampleTimestamps stamp each sandbox point with its own sample time
   * @param resource resource attributes for {@code target_info} (keys sanitised like labels)
   */
  public ExpositionBuilder(
      boolean emitRunId, boolean emitPid, boolean sampleTimestamps, Map<String, String> resource) {
    this.emitRunId = emitRunId;
    this.emitPid = emitPid;
    this.sampleTimestamps = sampleTimestamps;
    Map<String, String> attributes = PrometheusLabelNames.sanitizeAll(resource, Set.of());
    this.targetInfo =
        InfoSnapshot.builder()
            .name("target")
            .help("Target metadata")
            .dataPoint(
                InfoSnapshot.InfoDataPointSnapshot.builder()
                    .labels(
                        Labels.of(
                            new ArrayList<>(attributes.keySet()),
                            new ArrayList<>(attributes.values())))
                    .build())
            .build();
  }

  /** The exposition before any collection: only {@code target_info}. */
  public MetricSnapshots empty() {
    return new MetricSnapshots(targetInfo);
  }

  /** The exposition of {@code c} and the exporter's telemetry {@code t}. */
  public MetricSnapshots build(SnapshotCollection c, CollectorTelemetry t) {
    List<SandboxSnapshot> sandboxes = c.snapshots();
    List<Labels> labels = new ArrayList<>(sandboxes.size());
    List<Allocation> allocations = new ArrayList<>(sandboxes.size());
    for (SandboxSnapshot s : sandboxes) {
      labels.add(labelsOf(s, c.labels(s)));
      allocations.add(c.allocation(s));
    }
    List<MetricSnapshot> families = new ArrayList<>();
    for (SandboxSeries series : SandboxSeries.all()) {
      MetricSnapshot family = family(series, sandboxes, allocations, labels);
      if (family != null) {
        families.add(family);
      }
    }
    for (CollectorSeries series : CollectorSeries.all()) {
      families.add(telemetry(series, t));
    }
    families.add(targetInfo);
    return new MetricSnapshots(families);
  }

  /** The number of sample lines {@link #build} writes for {@code c} (for the exported count). */
  public static long points(SnapshotCollection c) {
    long n = CollectorSeries.all().length;
    for (SandboxSnapshot s : c.snapshots()) {
      n += SandboxSeries.pointsOf(s, c.allocation(s));
    }
    return n;
  }

  private @Nullable MetricSnapshot family(
      SandboxSeries series,
      List<SandboxSnapshot> sandboxes,
      List<Allocation> allocations,
      List<Labels> labels) {
    MetricMetadata meta =
        metadata(series.prometheusName(), series.description(), series.prometheusUnit());
    boolean counter = series.kind() == SandboxSeries.Kind.DOUBLE_COUNTER;
    List<CounterDataPointSnapshot> counters = new ArrayList<>();
    List<GaugeDataPointSnapshot> gauges = new ArrayList<>();
    for (int i = 0; i < sandboxes.size(); i++) {
      SandboxSnapshot s = sandboxes.get(i);
      Allocation allocation = allocations.get(i);
      if (!series.appliesTo(s, allocation)) {
        continue;
      }
      double value =
          series.kind() == SandboxSeries.Kind.LONG_GAUGE
              ? series.longValue(s, allocation)
              : series.doubleValue(s, allocation);
      long ts = sampleTimestamps ? s.sampledAtMs() : 0;
      if (counter) {
        counters.add(
            CounterDataPointSnapshot.builder()
                .labels(labels.get(i))
                .value(value)
                .scrapeTimestampMillis(ts)
                .build());
      } else {
        gauges.add(
            GaugeDataPointSnapshot.builder()
                .labels(labels.get(i))
                .value(value)
                .scrapeTimestampMillis(ts)
                .build());
      }
    }
    if (counters.isEmpty() && gauges.isEmpty()) {
      return null; // no sandbox, or a value no sandbox sampled: no family at all
    }
    return counter ? new CounterSnapshot(meta, counters) : new GaugeSnapshot(meta, gauges);
  }

  private static MetricSnapshot telemetry(CollectorSeries series, CollectorTelemetry t) {
    MetricMetadata meta =
        metadata(series.prometheusName(), series.description(), series.prometheusUnit());
    switch (series.kind()) {
      case COUNTER:
        return new CounterSnapshot(
            meta,
            List.of(
                CounterDataPointSnapshot.builder()
                    .labels(Labels.EMPTY)
                    .value(series.longValue(t))
                    .build()));
      case LONG_GAUGE:
      case DOUBLE_GAUGE:
      default:
        return new GaugeSnapshot(
            meta,
            List.of(
                GaugeDataPointSnapshot.builder()
                    .labels(Labels.EMPTY)
                    .value(series.doubleValue(t))
                    .build()));
    }
  }

  /** Metadata under the client's rule: a counter's name without {@code _total}. */
  private static MetricMetadata metadata(String prometheusName, String help, String unit) {
    String name =
        prometheusName.endsWith("_total")
            ? prometheusName.substring(0, prometheusName.length() - "_total".length())
            : prometheusName;
    return unit.isEmpty()
        ? new MetricMetadata(name, help)
        : new MetricMetadata(name, help, new Unit(unit));
  }

  private Labels labelsOf(SandboxSnapshot s, Map<String, String> catalog) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put(SANDBOX_NAME, s.name());
    l.put(SANDBOX_ID, Integer.toString(s.sandboxId()));
    if (emitRunId) {
      l.put(SANDBOX_RUN_ID, Integer.toString(s.runId()));
    }
    if (emitPid) {
      l.put(SANDBOX_PID, Integer.toString(s.pid()));
    }
    if (!catalog.isEmpty()) {
      l.putAll(PrometheusLabelNames.sanitizeAll(catalog, IDENTITY));
    }
    return Labels.of(new ArrayList<>(l.keySet()), new ArrayList<>(l.values()));
  }
}
