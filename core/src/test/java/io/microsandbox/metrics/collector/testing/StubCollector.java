package io.microsandbox.metrics.collector.testing;

import io.microsandbox.metrics.collector.CollectorStatus;
import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.collector.FlushOutcome;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.collector.SnapshotCollection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** A {@link RunningCollector} whose latest collection and telemetry the test sets. */
public final class StubCollector implements RunningCollector {
  private volatile @Nullable SnapshotCollection latest;
  private volatile Map<String, CollectorTelemetry> telemetry = Map.of();

  /** Makes {@code c} the latest collection. */
  public StubCollector collected(SnapshotCollection c) {
    latest = c;
    return this;
  }

  /** Sets the exporters' telemetry. */
  public StubCollector telemetry(Map<String, CollectorTelemetry> t) {
    telemetry = t;
    return this;
  }

  @Override
  public Optional<SnapshotCollection> latest() {
    return Optional.ofNullable(latest);
  }

  @Override
  public Map<String, CollectorTelemetry> telemetry() {
    return telemetry;
  }

  @Override
  public List<String> exporterNames() {
    return List.copyOf(telemetry.keySet());
  }

  @Override
  public CollectorStatus status() {
    SnapshotCollection c = latest;
    return new CollectorStatus(
        Duration.ofHours(1), // refreshes are the test's, through refresh()
        Duration.ZERO,
        false,
        Optional.empty(),
        c == null ? 0 : 1,
        Optional.empty(),
        c == null ? 0 : c.snapshots().size(),
        Duration.ZERO,
        Optional.empty(),
        List.of());
  }

  @Override
  public CompletableFuture<FlushOutcome> flush() {
    return CompletableFuture.completedFuture(new FlushOutcome(Map.of()));
  }

  @Override
  public CompletableFuture<Void> shutdown() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void close() {}
}
