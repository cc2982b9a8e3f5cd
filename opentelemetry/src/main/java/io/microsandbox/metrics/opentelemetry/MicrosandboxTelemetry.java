package io.microsandbox.metrics.opentelemetry;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.opentelemetry.internal.SandboxAttributes;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.series.CollectorSeries;
import io.microsandbox.metrics.series.SandboxSeries;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.BatchCallback;
import io.opentelemetry.api.metrics.DoubleGaugeBuilder;
import io.opentelemetry.api.metrics.LongCounterBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.opentelemetry.api.metrics.ObservableMeasurement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observable instruments on the application's {@link OpenTelemetry}: every {@link SandboxSeries}
 * per sandbox and every {@link CollectorSeries} per exporter of a running collector, with the
 * names, units, descriptions, point types and attributes of the project's OTLP exporter, on a meter
 * named {@value #SCOPE_NAME} (the OTLP exporter's instrumentation scope) with this library's
 * version.
 *
 * <pre>{@code
 * RunningCollector running = MetricsCollector.builder().build().start();
 * MicrosandboxTelemetry telemetry = MicrosandboxTelemetry.builder(openTelemetry, running).build();
 * ...
 * telemetry.close();                 // unregisters the instruments
 * running.close();
 * }</pre>
 *
 * <p>The SDK calls back at each of its collections (its metric reader's interval); the callback
 * reads {@link RunningCollector#latest()}, never shared memory, and never waits for the collect
 * loop. So each point carries the time of the SDK's collection, not the time the sandbox was
 * sampled, the counter {@code microsandbox.cpu.time} starts at the SDK's start rather than the
 * sandbox's, and only the latest collection at each SDK collection is seen (the OTLP exporter sends
 * every collection, each at its sample time, and buffers them through an outage).
 */
public final class MicrosandboxTelemetry implements AutoCloseable {
  /** The meter's name: the OTLP exporter's instrumentation scope. */
  public static final String SCOPE_NAME = "microsandbox-metrics-collector";

  /** Attribute naming the exporter whose pipeline a collector telemetry point describes. */
  public static final AttributeKey<String> EXPORTER = AttributeKey.stringKey("exporter");

  private static final Logger logger = LoggerFactory.getLogger(MicrosandboxTelemetry.class);

  private final RunningCollector collector;
  private final SandboxAttributes attributes;
  private final SandboxSeries[] sandboxSeries = SandboxSeries.all();
  private final ObservableMeasurement[] sandboxInstruments;
  private final CollectorSeries[] collectorSeries = CollectorSeries.all();
  private final ObservableMeasurement[] collectorInstruments;
  private final List<String> exporters;
  private final BatchCallback callback;

  private MicrosandboxTelemetry(Builder b) {
    this.collector = b.collector;
    this.attributes = new SandboxAttributes(b.emitRunId, b.emitPid);
    this.exporters = List.copyOf(collector.telemetry().keySet());
    Meter meter =
        b.openTelemetry
            .getMeterProvider()
            .meterBuilder(SCOPE_NAME)
            .setInstrumentationVersion(MetricsCollector.version())
            .build();
    List<ObservableMeasurement> all = new ArrayList<>();
    sandboxInstruments = new ObservableMeasurement[sandboxSeries.length];
    for (int i = 0; i < sandboxSeries.length; i++) {
      sandboxInstruments[i] = instrument(meter, sandboxSeries[i]);
      all.add(sandboxInstruments[i]);
    }
    collectorInstruments = new ObservableMeasurement[collectorSeries.length];
    for (int i = 0; i < collectorSeries.length; i++) {
      collectorInstruments[i] = instrument(meter, collectorSeries[i]);
      all.add(collectorInstruments[i]);
    }
    this.callback =
        meter.batchCallback(
            this::observeQuietly,
            all.get(0),
            all.subList(1, all.size()).toArray(new ObservableMeasurement[0]));
  }

  /**
   * A builder for instruments on {@code openTelemetry} observing {@code collector}: no run id, no
   * pid.
   */
  public static Builder builder(OpenTelemetry openTelemetry, RunningCollector collector) {
    return new Builder(openTelemetry, collector);
  }

  /** Unregisters the instruments' callback: the SDK observes nothing more from this collector. */
  @Override
  public void close() {
    callback.close();
  }

  private void observeQuietly() {
    try {
      observe();
    } catch (RuntimeException e) {
      // never let one bad observation break the host SDK's collection
      logger.warn("observing the microsandbox metrics failed: {}", e.toString());
    }
  }

  private synchronized void observe() {
    Optional<SnapshotCollection> latest = collector.latest();
    if (latest.isPresent()) {
      SnapshotCollection c = latest.get();
      for (SandboxSnapshot s : c.snapshots()) {
        Allocation allocation = c.allocation(s);
        Attributes a = attributes.of(s, c.labels(s));
        for (int i = 0; i < sandboxSeries.length; i++) {
          SandboxSeries series = sandboxSeries[i];
          if (!series.appliesTo(s, allocation)) {
            continue;
          }
          if (series.kind() == SandboxSeries.Kind.LONG_GAUGE) {
            ((ObservableLongMeasurement) sandboxInstruments[i])
                .record(series.longValue(s, allocation), a);
          } else {
            ((ObservableDoubleMeasurement) sandboxInstruments[i])
                .record(series.doubleValue(s, allocation), a);
          }
        }
      }
      attributes.endCollection();
    }
    Map<String, CollectorTelemetry> telemetry = collector.telemetry();
    for (String exporter : exporters) {
      CollectorTelemetry t = telemetry.get(exporter);
      if (t == null) {
        continue;
      }
      Attributes a = Attributes.of(EXPORTER, exporter);
      for (int i = 0; i < collectorSeries.length; i++) {
        CollectorSeries series = collectorSeries[i];
        if (series.kind() == CollectorSeries.Kind.DOUBLE_GAUGE) {
          ((ObservableDoubleMeasurement) collectorInstruments[i]).record(series.doubleValue(t), a);
        } else {
          ((ObservableLongMeasurement) collectorInstruments[i]).record(series.longValue(t), a);
        }
      }
    }
  }

  private static ObservableMeasurement instrument(Meter meter, SandboxSeries s) {
    return instrument(
        meter,
        s.metricName(),
        s.unit(),
        s.description(),
        s.kind() == SandboxSeries.Kind.DOUBLE_COUNTER,
        s.kind() == SandboxSeries.Kind.LONG_GAUGE);
  }

  private static ObservableMeasurement instrument(Meter meter, CollectorSeries s) {
    return instrument(
        meter,
        s.metricName(),
        s.unit(),
        s.description(),
        s.kind() == CollectorSeries.Kind.COUNTER,
        s.kind() != CollectorSeries.Kind.DOUBLE_GAUGE);
  }

  /** One observable instrument: a monotonic sum or a gauge, of longs or of doubles. */
  private static ObservableMeasurement instrument(
      Meter meter, String name, String unit, String description, boolean counter, boolean longs) {
    if (counter) {
      LongCounterBuilder sum = meter.counterBuilder(name).setUnit(unit).setDescription(description);
      return longs ? sum.buildObserver() : sum.ofDoubles().buildObserver();
    }
    DoubleGaugeBuilder gauge = meter.gaugeBuilder(name).setUnit(unit).setDescription(description);
    return longs ? gauge.ofLongs().buildObserver() : gauge.buildObserver();
  }

  /** Configures a {@link MicrosandboxTelemetry}. */
  public static final class Builder {
    private final OpenTelemetry openTelemetry;
    private final RunningCollector collector;
    private boolean emitRunId;
    private boolean emitPid;

    private Builder(OpenTelemetry openTelemetry, RunningCollector collector) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
      this.collector = Objects.requireNonNull(collector, "collector");
    }

    /** Adds {@code sandbox.run_id} to every sandbox point (a new series per restart). */
    public Builder emitRunId(boolean emitRunId) {
      this.emitRunId = emitRunId;
      return this;
    }

    /** Adds {@code sandbox.pid} to every sandbox point (a new series per restart). */
    public Builder emitPid(boolean emitPid) {
      this.emitPid = emitPid;
      return this;
    }

    /** Registers the instruments on the application's meter provider. */
    public MicrosandboxTelemetry build() {
      return new MicrosandboxTelemetry(this);
    }
  }
}
