package io.microsandbox.metrics.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * When the demo's sandboxes stop, restart, die and are resized, counted from the demo's start.
 *
 * <pre>
 *   every cycle:   stopAt ──(clean exit, slot stale)──> stopAt + restartDelay ──(fresh slot)──>
 *   once:          killAt ──(SIGKILL, slot left active)──> killAt + restartDelay ──(fresh slot)──>
 *   once:          resizeAt ──(memory doubled live: the catalog's active_config changes, the
 *                              registry's memory_limit_bytes keeps the boot value)
 * </pre>
 *
 * @param cycle how often the stop/restart scene repeats, each time with the next sandbox
 * @param stopAt when, within each cycle, a sandbox exits cleanly
 * @param killAt when (once) the last sandbox's runtime is killed
 * @param restartDelay how long a stopped or killed sandbox stays down
 * @param resizeAt when (once) a running sandbox's memory is resized live
 */
record DemoTimeline(
    Duration cycle, Duration stopAt, Duration killAt, Duration restartDelay, Duration resizeAt) {

  /** The demo's pace: something happens within the first half minute, then every minute. */
  static final DemoTimeline DEFAULT =
      new DemoTimeline(
          Duration.ofSeconds(60),
          Duration.ofSeconds(12),
          Duration.ofSeconds(30),
          Duration.ofSeconds(8),
          Duration.ofSeconds(20));

  DemoTimeline {
    Objects.requireNonNull(cycle, "cycle");
    Objects.requireNonNull(stopAt, "stopAt");
    Objects.requireNonNull(killAt, "killAt");
    Objects.requireNonNull(restartDelay, "restartDelay");
    Objects.requireNonNull(resizeAt, "resizeAt");
    if (cycle.isZero() || cycle.isNegative()) {
      throw new IllegalArgumentException("cycle must be positive: " + cycle);
    }
    if (stopAt.plus(restartDelay).compareTo(cycle) >= 0) {
      throw new IllegalArgumentException("a stopped sandbox must restart within its cycle");
    }
  }
}
