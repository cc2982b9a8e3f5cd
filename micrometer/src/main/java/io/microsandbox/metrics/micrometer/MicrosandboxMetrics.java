package io.microsandbox.metrics.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.collector.InvalidSettingException;
import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.micrometer.internal.RegistryBinding;
import io.microsandbox.metrics.micrometer.internal.SandboxTags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Micrometer {@link MeterBinder} that publishes a running collector's sandboxes into the
 * application's {@link MeterRegistry}: every {@link io.microsandbox.metrics.series.SandboxSeries}
 * per sandbox, and every {@link io.microsandbox.metrics.series.CollectorSeries} per exporter of the
 * collector.
 *
 * <pre>{@code
 * RunningCollector running = MetricsCollector.builder().build().start();
 * MicrosandboxMetrics metrics = MicrosandboxMetrics.builder(running).build();
 * metrics.bindTo(meterRegistry);          // PrometheusMeterRegistry, OTLP, Datadog, ...
 * ...
 * metrics.close();                        // removes the meters, stops refreshing
 * running.close();
 * }</pre>
 *
 * <p>Names and units follow Micrometer's conventions: the OTLP name ({@code
 * microsandbox.memory.usage}) with the base unit ({@code bytes}, {@code seconds}, {@code ratio})
 * that makes a {@code PrometheusMeterRegistry} scrape each series under the project's Prometheus
 * name ({@code microsandbox_memory_usage_bytes}). Gauges, and function counters for the counters
 * ({@code microsandbox.cpu.time}, the telemetry's totals).
 *
 * <p>Sandbox meters carry {@code sandbox_name}, {@code sandbox_id}, opt-in {@code sandbox_run_id}
 * and {@code sandbox_pid}, and the sandbox's catalog labels, named as in the Prometheus exposition
 * and bounded by the collector's label limits. Every sandbox carries every catalog key of the
 * collection, empty where it has no such label (a Prometheus registry requires one set of tag keys
 * per name; Prometheus reads an empty label as absent). Telemetry meters carry {@code exporter}.
 *
 * <p>Meters read the collector's {@link RunningCollector#latest() latest collection}, never shared
 * memory, and never wait for the collect loop. A refresh, every collect interval on a daemon thread
 * of this binder, adds the meters of new sandboxes and removes those of sandboxes that are gone, so
 * the registry's meter count follows the running sandboxes.
 */
public final class MicrosandboxMetrics implements MeterBinder, AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(MicrosandboxMetrics.class);

  private final RunningCollector collector;
  private final SandboxTags tagging;
  private final Tags extraTags;
  private final Duration refreshInterval;
  private final List<RegistryBinding> bindings = new ArrayList<>();
  private @Nullable SnapshotCollection reconciled;
  private volatile Map<String, CollectorTelemetry> telemetry;
  private @Nullable ScheduledExecutorService refresher;
  private boolean closed;

  private MicrosandboxMetrics(Builder b) {
    this.collector = b.collector;
    this.tagging = new SandboxTags(b.emitRunId, b.emitPid);
    this.extraTags = b.tags;
    this.refreshInterval =
        b.refreshInterval != null ? b.refreshInterval : collector.status().collectInterval();
    this.telemetry = collector.telemetry();
  }

  /**
   * A builder for a binder of {@code collector}: no run id, no pid, no extra tags, refreshed every
   * collect interval.
   */
  public static Builder builder(RunningCollector collector) {
    return new Builder(collector);
  }

  /**
   * Registers the telemetry meters and the meters of the latest collection's sandboxes in {@code
   * registry}, and starts refreshing them (one daemon thread per binder, shared by every registry
   * it is bound to).
   *
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    if (closed) {
      throw new IllegalStateException("bindTo() called after close() of the binder");
    }
    RegistryBinding b = new RegistryBinding(registry, tagging, extraTags);
    b.bindTelemetry(telemetry.keySet(), () -> telemetry);
    if (reconciled != null) {
      b.reconcile(reconciled);
    }
    bindings.add(b);
    refresh();
    if (refresher == null) {
      ScheduledExecutorService s =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "msb-metrics-micrometer");
                t.setDaemon(true);
                return t;
              });
      long ms = Math.max(1, refreshInterval.toMillis());
      s.scheduleWithFixedDelay(this::refreshQuietly, ms, ms, TimeUnit.MILLISECONDS);
      refresher = s;
    }
  }

  /**
   * Brings every bound registry up to the latest collection now (the refresh thread does it every
   * collect interval): meters for new sandboxes and values, none for sandboxes that are gone, and
   * the latest telemetry. Cheap when nothing was collected since the last refresh.
   */
  public synchronized void refresh() {
    if (closed) {
      return;
    }
    telemetry = collector.telemetry();
    Optional<SnapshotCollection> latest = collector.latest();
    if (latest.isEmpty() || latest.get() == reconciled) {
      return;
    }
    SnapshotCollection c = latest.get();
    for (RegistryBinding b : bindings) {
      b.reconcile(c);
    }
    reconciled = c;
  }

  /** The sandbox meters this binder has in one bound registry now (for tests and diagnostics). */
  public synchronized int sandboxMeterCount(MeterRegistry registry) {
    for (RegistryBinding b : bindings) {
      if (b.registry() == registry) {
        return b.sandboxMeters();
      }
    }
    return 0;
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      // a registry that throws (a meter filter, a full registry) must not end the refresh thread
      logger.warn("refreshing the microsandbox meters failed: {}", e.toString());
    }
  }

  /** Stops refreshing and removes every meter this binder registered. Idempotent. */
  @Override
  public void close() {
    ScheduledExecutorService s;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      s = refresher;
      for (RegistryBinding b : bindings) {
        b.unbind();
      }
      bindings.clear();
    }
    if (s != null) {
      s.shutdownNow();
    }
  }

  /** Configures a {@link MicrosandboxMetrics}. */
  public static final class Builder {
    private final RunningCollector collector;
    private boolean emitRunId;
    private boolean emitPid;
    private Tags tags = Tags.empty();
    private @Nullable Duration refreshInterval;

    private Builder(RunningCollector collector) {
      this.collector = Objects.requireNonNull(collector, "collector");
    }

    /** Adds {@code sandbox_run_id} to every sandbox meter (a new series per restart). */
    public Builder emitRunId(boolean emitRunId) {
      this.emitRunId = emitRunId;
      return this;
    }

    /** Adds {@code sandbox_pid} to every sandbox meter (a new series per restart). */
    public Builder emitPid(boolean emitPid) {
      this.emitPid = emitPid;
      return this;
    }

    /** Adds tags to every meter of this binder (beside the registry's own common tags). */
    public Builder tags(Iterable<Tag> tags) {
      this.tags = this.tags.and(Objects.requireNonNull(tags, "tags"));
      return this;
    }

    /**
     * How often the meters follow the latest collection; default the collector's collect interval.
     */
    public Builder refreshInterval(Duration refreshInterval) {
      this.refreshInterval = Objects.requireNonNull(refreshInterval, "refreshInterval");
      return this;
    }

    /**
     * Builds the binder.
     *
     * @throws InvalidSettingException naming {@code refreshInterval} when it is not positive or
     *     longer than {@link MetricsCollector#LONGEST_DURATION}
     */
    public MicrosandboxMetrics build() {
      if (refreshInterval != null
          && (refreshInterval.isZero()
              || refreshInterval.isNegative()
              || refreshInterval.compareTo(MetricsCollector.LONGEST_DURATION) > 0)) {
        throw new InvalidSettingException(
            "refreshInterval",
            "refresh interval must be positive and at most "
                + MetricsCollector.LONGEST_DURATION
                + ", got "
                + refreshInterval);
      }
      return new MicrosandboxMetrics(this);
    }
  }
}
