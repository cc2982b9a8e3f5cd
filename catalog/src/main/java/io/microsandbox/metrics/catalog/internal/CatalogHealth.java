package io.microsandbox.metrics.catalog.internal;

import io.microsandbox.metrics.collector.LogSafe;
import io.microsandbox.metrics.registry.TimeSource;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * Tracks whether the catalog is readable and logs the transitions only: one WARN when an outage
 * starts, one INFO when it ends, DEBUG in between. A catalog that stays missing or locked for hours
 * must not write a line every second. Not thread-safe.
 */
public final class CatalogHealth {
  private final Path catalog;
  private final Logger log;
  private final TimeSource time;

  private boolean down;
  private long outageSinceNanos;
  private long outages;

  /**
   * Creates a tracker for a catalog considered healthy until a failure is reported.
   *
   * @param catalog the catalog file, for messages
   * @param log where transitions are logged
   * @param time measures how long an outage lasted (its monotonic clock)
   */
  public CatalogHealth(Path catalog, Logger log, TimeSource time) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.log = Objects.requireNonNull(log, "log");
    this.time = Objects.requireNonNull(time, "time");
  }

  /** Reports a failed read; the first one of an outage is logged at WARN. */
  public void failed(String reason) {
    if (!down) {
      down = true;
      outageSinceNanos = time.nanoTime();
      outages++;
      log.warn(
          "catalog unavailable ({}): {}; sandboxes already known keep their last labels and"
              + " allocation, new ones are shipped without labels and with the registry's memory"
              + " limit; the catalog is retried every tick",
          LogSafe.escape(catalog),
          LogSafe.escape(reason));
    } else {
      log.debug("catalog still unavailable: {}", LogSafe.escape(reason));
    }
  }

  /** Reports a successful read; the first one after an outage is logged at INFO. */
  public void succeeded() {
    if (down) {
      down = false;
      long outageMs = (time.nanoTime() - outageSinceNanos) / 1_000_000L;
      log.info(
          "catalog available again ({}) after {}",
          catalog,
          String.format(Locale.ROOT, "%.1f s", outageMs / 1000.0));
    }
  }

  /** Whether the latest read failed. */
  public boolean unavailable() {
    return down;
  }

  /** Outages started since creation. */
  public long outages() {
    return outages;
  }
}
