package io.microsandbox.metrics.spring.autoconfigure;

import io.microsandbox.metrics.collector.CollectorStatus;
import io.microsandbox.metrics.collector.ExporterStatus;
import io.microsandbox.metrics.collector.RunningCollector;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The {@code microsandbox} health component, from {@link RunningCollector#status()}: DOWN when the
 * collect loop has finished no tick for longer than the limit (a stuck registry read or label
 * source, or a collector that was shut down), UP otherwise. A failing metrics backend and a
 * registry that cannot be read (microsandbox not running) are not DOWN: the application works and
 * the collector recovers by itself; both show in the details.
 */
public class MicrosandboxHealthIndicator implements HealthIndicator {
  /** Default limit: this many collect intervals (as the CLI's {@code /healthz}). */
  public static final int UNHEALTHY_AFTER_INTERVALS = 5;

  private final RunningCollector collector;
  private final @Nullable Duration unhealthyAfter;

  /**
   * Reports on {@code collector}.
   *
   * @param collector the collector
   * @param unhealthyAfter DOWN after this long without a tick; null for {@value
   *     #UNHEALTHY_AFTER_INTERVALS} collect intervals
   */
  public MicrosandboxHealthIndicator(
      RunningCollector collector, @Nullable Duration unhealthyAfter) {
    this.collector = collector;
    this.unhealthyAfter = unhealthyAfter;
  }

  @Override
  public Health health() {
    CollectorStatus s = collector.status();
    Duration limit =
        unhealthyAfter != null
            ? unhealthyAfter
            : s.collectInterval().multipliedBy(UNHEALTHY_AFTER_INTERVALS);
    boolean stalled = s.sinceLastTick().compareTo(limit) > 0;
    Health.Builder h = stalled ? Health.down() : Health.up();
    if (stalled) {
      h.withDetail(
          "reason",
          "the collect loop finished no tick for "
              + s.sinceLastTick().toMillis()
              + " ms (limit "
              + limit.toMillis()
              + " ms)");
    }
    h.withDetail("collections", s.collections())
        .withDetail("sandboxes", s.sandboxes())
        .withDetail("labels", s.labels());
    s.lastCollectionAt().ifPresent(t -> h.withDetail("lastCollectionAt", t.toString()));
    s.registry()
        .ifPresent(r -> h.withDetail("registry", Map.of("name", r.name(), "exists", r.exists())));
    s.lastReadError().ifPresent(e -> h.withDetail("lastReadError", e));
    Map<String, Object> exporters = new LinkedHashMap<>();
    for (ExporterStatus e : s.exporters()) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("healthy", e.consecutiveFailures() == 0);
      d.put("consecutiveFailures", e.consecutiveFailures());
      d.put("bufferedCollections", e.bufferedCollections());
      d.put("collectionsDropped", e.collectionsDropped());
      e.lastSuccessAt().ifPresent(t -> d.put("lastSuccessAt", t.toString()));
      e.lastError().ifPresent(m -> d.put("lastError", m));
      exporters.put(e.name(), d);
    }
    if (!exporters.isEmpty()) {
      h.withDetail("exporters", exporters);
    }
    return h.build();
  }
}
