package io.microsandbox.metrics.otel.internal;

import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.series.SandboxSeries;
import io.microsandbox.metrics.series.Unsigned;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns samples into OTLP {@link MetricData}: one entry per series name holding the points of every
 * sample, each point at its own sample's time.
 *
 * <pre>
 *   samples (oldest first) --&gt; per sample: attributes (kept across flushes), time = sampled_at
 *                          --&gt; per series: one point if the sample has the field
 *                          --&gt; [MetricData per series] + collector telemetry
 * </pre>
 *
 * <p>A sandbox's attributes are the same in every collection and every flush until its identity or
 * labels change, so they are built once and kept: building sorts and copies, the costliest step per
 * sample. Entries not used during a flush are dropped at {@link #endFlush()}, so the cache holds at
 * most the sandboxes of the last two flushes.
 *
 * <p>Identity attributes win over a label with the same key: labels go in first and the identity
 * attributes are put last, replacing them.
 */
public final class BatchEncoder {
  /** Attribute: the sandbox name. */
  public static final AttributeKey<String> SANDBOX_NAME = AttributeKey.stringKey("sandbox.name");

  /** Attribute: the catalog sandbox id. */
  public static final AttributeKey<Long> SANDBOX_ID = AttributeKey.longKey("sandbox.id");

  /** Attribute (opt-in): the catalog run id. */
  public static final AttributeKey<Long> SANDBOX_RUN_ID = AttributeKey.longKey("sandbox.run_id");

  /** Attribute (opt-in): the runtime's host pid. */
  public static final AttributeKey<Long> SANDBOX_PID = AttributeKey.longKey("sandbox.pid");

  private final Resource resource;
  private final InstrumentationScopeInfo scope;
  private final boolean emitRunId;
  private final boolean emitPid;
  // attributes used in the current flush, and those of the previous flush (kept if used again)
  private Map<AttributesKey, Attributes> attributesThisFlush = new HashMap<>();
  private Map<AttributesKey, Attributes> attributesLastFlush = new HashMap<>();
  // the lookup key, refilled per sample instead of allocated (a copy is stored on a miss)
  private final AttributesKey probe = new AttributesKey();

  /**
   * Creates an encoder.
   *
   * @param resource the resource of every metric
   * @param scope the instrumentation scope of every metric
   * @param emitRunId whether points carry {@code sandbox.run_id}
   * @param emitPid whether points carry {@code sandbox.pid}
   */
  public BatchEncoder(
      Resource resource, InstrumentationScopeInfo scope, boolean emitRunId, boolean emitPid) {
    this.resource = Objects.requireNonNull(resource, "resource");
    this.scope = Objects.requireNonNull(scope, "scope");
    this.emitRunId = emitRunId;
    this.emitPid = emitPid;
  }

  /**
   * The series of {@code samples}, one {@link MetricData} per name that has points. Call once per
   * request; call {@link #endFlush()} after the last request of a flush.
   */
  public List<MetricData> encode(List<Sample> samples) {
    SandboxSeries[] all = SandboxSeries.all();
    List<List<PointData>> points = new ArrayList<>(all.length);
    for (int i = 0; i < all.length; i++) {
      points.add(new ArrayList<>(samples.size()));
    }
    for (Sample sample : samples) {
      SandboxSnapshot s = sample.snapshot;
      Attributes attributes = attributesOf(s, sample.labels);
      long time = Unsigned.epochNanos(s.sampledAtMs());
      for (int i = 0; i < all.length; i++) {
        SandboxSeries series = all[i];
        if (series.appliesTo(s, sample.allocation)) {
          points.get(i).add(point(series, sample, attributes, time));
        }
      }
    }
    List<MetricData> out = new ArrayList<>(all.length + TelemetrySeries.SERIES_COUNT);
    for (int i = 0; i < all.length; i++) {
      if (!points.get(i).isEmpty()) {
        out.add(metric(all[i], points.get(i)));
      }
    }
    return out;
  }

  /**
   * Ends a flush: attributes not used since the previous call are forgotten (sandboxes gone or
   * relabelled), the rest are kept for the next flush.
   */
  public void endFlush() {
    Map<AttributesKey, Attributes> recycled = attributesLastFlush;
    recycled.clear();
    attributesLastFlush = attributesThisFlush;
    attributesThisFlush = recycled;
  }

  private Attributes attributesOf(SandboxSnapshot s, Map<String, String> labels) {
    probe.set(s.name(), s.sandboxId(), s.runId(), s.pid(), labels);
    Attributes a = attributesThisFlush.get(probe);
    if (a != null) {
      return a;
    }
    AttributesKey key = probe.copy();
    a = attributesLastFlush.remove(key);
    if (a == null) {
      a = attributes(s, labels);
    }
    attributesThisFlush.put(key, a);
    return a;
  }

  private PointData point(SandboxSeries series, Sample sample, Attributes a, long time) {
    SandboxSnapshot s = sample.snapshot;
    switch (series.kind()) {
      case LONG_GAUGE:
        return LongPointData.create(time, time, a, series.longValue(s, sample.allocation));
      case DOUBLE_GAUGE:
        return DoublePointData.create(
            time, time, a, series.doubleValue(s, sample.allocation), List.of());
      case DOUBLE_COUNTER:
        // a cumulative sum starts when the sandbox started (never after the sample itself)
        long start = Math.min(time, Unsigned.epochNanos(s.startedAtMs()));
        return DoublePointData.create(
            start, time, a, series.doubleValue(s, sample.allocation), List.of());
      default:
        throw new IllegalStateException("unexpected kind " + series.kind());
    }
  }

  @SuppressWarnings("unchecked")
  private MetricData metric(SandboxSeries series, List<PointData> points) {
    MetricDataType type = otlpType(series.kind());
    Object data;
    switch (type) {
      case LONG_GAUGE:
        data = GaugeData.createLongGaugeData((List<LongPointData>) (List<?>) points);
        break;
      case DOUBLE_GAUGE:
        data = GaugeData.createDoubleGaugeData((List<DoublePointData>) (List<?>) points);
        break;
      case DOUBLE_SUM:
        data =
            SumData.createDoubleSumData(
                true, AggregationTemporality.CUMULATIVE, (List<DoublePointData>) (List<?>) points);
        break;
      default:
        throw new IllegalStateException("unexpected type " + type);
    }
    return new OtlpMetricData(
        resource,
        scope,
        series.metricName(),
        series.description(),
        series.unit(),
        type,
        (io.opentelemetry.sdk.metrics.data.Data<?>) data);
  }

  private Attributes attributes(SandboxSnapshot s, Map<String, String> labels) {
    AttributesBuilder b = Attributes.builder();
    labels.forEach(
        (k, v) -> {
          if (!isIdentityKey(k)) {
            b.put(k, v);
          }
        });
    b.put(SANDBOX_NAME, s.name());
    b.put(SANDBOX_ID, (long) s.sandboxId());
    if (emitRunId) {
      b.put(SANDBOX_RUN_ID, (long) s.runId());
    }
    if (emitPid) {
      b.put(SANDBOX_PID, (long) s.pid());
    }
    return b.build();
  }

  // A label named like an identity attribute would sit next to it with another type (string vs
  // int), and a backend would see two values for one key: the identity attribute wins.
  private boolean isIdentityKey(String key) {
    return key.equals(SANDBOX_NAME.getKey())
        || key.equals(SANDBOX_ID.getKey())
        || (emitRunId && key.equals(SANDBOX_RUN_ID.getKey()))
        || (emitPid && key.equals(SANDBOX_PID.getKey()));
  }

  /**
   * What a sample's attributes depend on. Mutable only for {@link #probe}; stored keys are never
   * changed.
   */
  private static final class AttributesKey {
    private String name;
    private int sandboxId;
    private int runId;
    private int pid;
    private Map<String, String> labels;
    private int hash;

    void set(String name, int sandboxId, int runId, int pid, Map<String, String> labels) {
      this.name = name;
      this.sandboxId = sandboxId;
      this.runId = runId;
      this.pid = pid;
      this.labels = labels;
      // without the labels: hashing a map walks it, and one identity rarely has two label sets
      this.hash = ((name.hashCode() * 31 + sandboxId) * 31 + runId) * 31 + pid;
    }

    AttributesKey copy() {
      AttributesKey k = new AttributesKey();
      k.set(name, sandboxId, runId, pid, labels);
      return k;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof AttributesKey)) {
        return false;
      }
      AttributesKey k = (AttributesKey) o;
      return sandboxId == k.sandboxId
          && runId == k.runId
          && pid == k.pid
          && name.equals(k.name)
          // label maps are shared instances while unchanged: identity first, equals as fallback
          && (labels == k.labels || labels.equals(k.labels));
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private static MetricDataType otlpType(SandboxSeries.Kind kind) {
    switch (kind) {
      case LONG_GAUGE:
        return MetricDataType.LONG_GAUGE;
      case DOUBLE_GAUGE:
        return MetricDataType.DOUBLE_GAUGE;
      case DOUBLE_COUNTER:
        return MetricDataType.DOUBLE_SUM;
      default:
        throw new IllegalStateException("unexpected kind " + kind);
    }
  }
}
