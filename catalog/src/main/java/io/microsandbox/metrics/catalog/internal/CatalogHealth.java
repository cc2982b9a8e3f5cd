package io.microsandbox.metrics.catalog.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * Tracks whether the catalog is readable and logs the transitions only: one WARN when an outage
 * starts, one INFO when it ends, DEBUG in between. A catalog that stays missing or locked for
 * hours must not write a line every second. Not thread-safe.
 */
public final class CatalogHealth {
  private final Path catalog;
  private final Logger log;
  private final Clock clock;

  private Instant outageSince;
  private long outages;

  /**
   * Creates a tracker for a catalog considered healthy until a failure is reported.
   *
   * @param catalog the catalog file, for messages
   * @param log where transitions are logged
   * @param clock measures how long an outage lasted
   */
  public CatalogHealth(Path catalog, Logger log, Clock clock) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.log = Objects.requireNonNull(log, "log");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Reports a failed read; the first one of an outage is logged at WARN. */
  public void failed(String reason) {
    if (outageSince == null) {
      outageSince = clock.instant();
      outages++;
      log.warn(
          "catalog labels unavailable ({}): {}; metrics are shipped without labels and the"
              + " catalog is retried every tick",
          catalog,
          reason);
    } else {
      log.debug("catalog labels still unavailable: {}", reason);
    }
  }

  /** Reports a successful read; the first one after an outage is logged at INFO. */
  public void succeeded() {
    if (outageSince != null) {
      Duration outage = Duration.between(outageSince, clock.instant());
      outageSince = null;
      log.info(
          "catalog labels available again ({}) after {}",
          catalog,
          String.format(Locale.ROOT, "%.1f s", outage.toMillis() / 1000.0));
    }
  }

  /** Whether the latest read failed. */
  public boolean unavailable() {
    return outageSince != null;
  }

  /** Outages started since creation. */
  public long outages() {
    return outages;
  }
}
