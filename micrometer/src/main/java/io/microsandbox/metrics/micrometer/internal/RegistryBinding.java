package io.microsandbox.metrics.micrometer.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.series.CollectorSeries;
import io.microsandbox.metrics.series.SandboxSeries;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The binder's meters in one {@link MeterRegistry}: the collector telemetry meters, registered once
 * per exporter, and the sandbox meters, reconciled with each new collection (a sandbox that is gone
 * loses its meters, a value a sandbox no longer has loses its meter). Not thread-safe: the binder
 * calls it under its own lock; meters read {@link SandboxValues} and the telemetry supplier from
 * any thread.
 */
public final class RegistryBinding {
  /** Tag naming the exporter whose pipeline a collector telemetry meter describes. */
  public static final String EXPORTER = "exporter";

  private final MeterRegistry registry;
  private final SandboxTags tagging;
  private final Tags extraTags;
  private final Map<Tags, Entry> sandboxes = new HashMap<>();
  private final List<Meter> telemetryMeters = new ArrayList<>();
  // Micrometer holds a function counter's state object weakly: without this strong list a GC
  // between registration and a scrape leaves the counter reading 0
  private final List<TelemetryValue> telemetryValues = new ArrayList<>();
  private Set<String> catalogKeys = new TreeSet<>();

  private static final class Entry {
    final SandboxValues values;
    final Map<SandboxSeries, Meter> meters = new EnumMap<>(SandboxSeries.class);
    boolean seen;

    Entry(SandboxValues values) {
      this.values = values;
    }
  }

  /**
   * Binds to {@code registry}.
   *
   * @param registry where meters go
   * @param tagging the sandbox tags
   * @param extraTags tags added to every meter
   */
  public RegistryBinding(MeterRegistry registry, SandboxTags tagging, Tags extraTags) {
    this.registry = registry;
    this.tagging = tagging;
    this.extraTags = extraTags;
  }

  /** The registry. */
  public MeterRegistry registry() {
    return registry;
  }

  /** The sandbox meters registered now. */
  public int sandboxMeters() {
    int n = 0;
    for (Entry e : sandboxes.values()) {
      n += e.meters.size();
    }
    return n;
  }

  /**
   * Registers every {@link CollectorSeries} for each exporter, tagged {@value #EXPORTER}, reading
   * {@code telemetry}.
   */
  public void bindTelemetry(
      Set<String> exporters, Supplier<Map<String, CollectorTelemetry>> telemetry) {
    for (String exporter : exporters) {
      Tags tags = extraTags.and(EXPORTER, exporter);
      for (CollectorSeries series : CollectorSeries.all()) {
        TelemetryValue v = new TelemetryValue(exporter, series, telemetry);
        telemetryValues.add(v);
        String unit = baseUnit(series.prometheusUnit());
        if (series.kind() == CollectorSeries.Kind.COUNTER) {
          telemetryMeters.add(
              FunctionCounter.builder(series.metricName(), v, TelemetryValue::value)
                  .description(series.description())
                  .baseUnit(unit)
                  .tags(tags)
                  .register(registry));
        } else {
          telemetryMeters.add(
              Gauge.builder(series.metricName(), v, TelemetryValue::value)
                  .description(series.description())
                  .baseUnit(unit)
                  .tags(tags)
                  .strongReference(true)
                  .register(registry));
        }
      }
    }
  }

  /** Makes the sandbox meters those of {@code c}. */
  public void reconcile(SnapshotCollection c) {
    Set<String> keys = tagging.catalogKeys(c);
    if (!keys.equals(catalogKeys)) {
      // every sandbox's tag keys change: the old meters go first, or a Prometheus registry would
      // refuse the new ones (same name, other keys)
      removeAllSandboxMeters();
      catalogKeys = keys;
    }
    for (Entry e : sandboxes.values()) {
      e.seen = false;
    }
    for (SandboxSnapshot s : c.snapshots()) {
      Allocation allocation = c.allocation(s);
      Tags tags = tagging.of(s, c.labels(s), catalogKeys).and(extraTags);
      Entry e = sandboxes.get(tags);
      if (e == null) {
        e = new Entry(new SandboxValues(s, allocation));
        sandboxes.put(tags, e);
      } else if (e.seen) {
        continue; // two samples with one identity: the first one counts
      } else {
        e.values.update(s, allocation);
      }
      e.seen = true;
      for (SandboxSeries series : SandboxSeries.all()) {
        boolean applies = series.appliesTo(s, allocation);
        Meter m = e.meters.get(series);
        if (applies && m == null) {
          e.meters.put(series, register(series, tags, e.values));
        } else if (!applies && m != null) {
          registry.remove(m);
          e.meters.remove(series);
        }
      }
    }
    sandboxes
        .entrySet()
        .removeIf(
            en -> {
              if (en.getValue().seen) {
                return false;
              }
              en.getValue().meters.values().forEach(registry::remove);
              return true;
            });
  }

  /** Removes every meter this binding registered. */
  public void unbind() {
    removeAllSandboxMeters();
    telemetryMeters.forEach(registry::remove);
    telemetryMeters.clear();
    telemetryValues.clear();
  }

  private void removeAllSandboxMeters() {
    for (Entry e : sandboxes.values()) {
      e.meters.values().forEach(registry::remove);
    }
    sandboxes.clear();
  }

  private Meter register(SandboxSeries series, Tags tags, SandboxValues values) {
    String unit = baseUnit(series.prometheusUnit());
    if (series.kind() == SandboxSeries.Kind.DOUBLE_COUNTER) {
      return FunctionCounter.builder(series.metricName(), values, v -> v.value(series))
          .description(series.description())
          .baseUnit(unit)
          .tags(tags)
          .register(registry);
    }
    return Gauge.builder(series.metricName(), values, v -> v.value(series))
        .description(series.description())
        .baseUnit(unit)
        .tags(tags)
        .strongReference(true)
        .register(registry);
  }

  /**
   * Micrometer's base unit: the unit word the Prometheus name ends with ({@code bytes}, {@code
   * seconds}, {@code ratio}), so that a Prometheus registry appends exactly that; none where the
   * name already says it ({@code microsandbox.disk.bytes_read}) or the unit is an annotation.
   */
  static @Nullable String baseUnit(String prometheusUnit) {
    return prometheusUnit.isEmpty() ? null : prometheusUnit;
  }

  /** One exporter's value of one telemetry series, read from the latest telemetry. */
  private record TelemetryValue(
      String exporter, CollectorSeries series, Supplier<Map<String, CollectorTelemetry>> source) {
    double value() {
      CollectorTelemetry t = source.get().get(exporter);
      if (t == null) {
        return Double.NaN;
      }
      return series.kind() == CollectorSeries.Kind.DOUBLE_GAUGE
          ? series.doubleValue(t)
          : series.longValue(t);
    }
  }
}
