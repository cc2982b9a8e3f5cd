package io.microsandbox.metrics.collector;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a running collector is doing, for health probes and status pages ({@link
 * RunningCollector#status()}): its settings, the registry it reads, its latest collection and each
 * exporter's pipeline. Read-only and cheap: taking it never waits for the collect loop or an
 * exporter, and never reads the registry.
 *
 * @param collectInterval the collect interval
 * @param maxSampleAge older samples are skipped; zero when the check is off
 * @param labels whether a metadata source adds labels and allocations to the collections
 * @param registry the registry the source reads; empty for a source that is not a registry
 * @param collections collections completed since start (a tick whose read failed is not one)
 * @param lastCollectionAt when the latest completed collection was taken; empty before the first
 * @param sandboxes sandboxes in the latest completed collection
 * @param sinceLastTick monotonic time since the collect loop last finished a tick (a collection or
 *     a failed read), or since start when none has finished; grows without bound when the loop is
 *     stuck, for example in a read that never returns
 * @param lastReadError the latest failed read's message, while reads keep failing; empty once a
 *     read succeeds
 * @param exporters every exporter's pipeline, in registration order
 */
public record CollectorStatus(
    Duration collectInterval,
    Duration maxSampleAge,
    boolean labels,
    Optional<RegistryStatus> registry,
    long collections,
    Optional<Instant> lastCollectionAt,
    int sandboxes,
    Duration sinceLastTick,
    Optional<String> lastReadError,
    List<ExporterStatus> exporters) {

  /** Checks that nothing is null and copies the exporters. */
  public CollectorStatus {
    Objects.requireNonNull(collectInterval, "collectInterval");
    Objects.requireNonNull(maxSampleAge, "maxSampleAge");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(lastCollectionAt, "lastCollectionAt");
    Objects.requireNonNull(sinceLastTick, "sinceLastTick");
    Objects.requireNonNull(lastReadError, "lastReadError");
    exporters = List.copyOf(exporters);
  }
}
