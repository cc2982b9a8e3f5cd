package io.microsandbox.metrics.registry;

/**
 * The two clocks msb-metrics reads, as one abstraction shared by every module: the registry reader
 * (sample age, owner re-checks), the collector's schedulers (intervals, timeouts, backoff) and the
 * exporters (the time stamped on the collector telemetry). Production uses {@link #SYSTEM};
 * simulations and tests substitute a clock they advance by hand.
 */
public interface TimeSource {

  /** The system's clocks: {@link System#nanoTime()} and {@link System#currentTimeMillis()}. */
  TimeSource SYSTEM =
      new TimeSource() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public long currentTimeMillis() {
          return System.currentTimeMillis();
        }

        @Override
        public String toString() {
          return "TimeSource.SYSTEM";
        }
      };

  /** Monotonic nanoseconds, for durations and deadlines; only differences are meaningful. */
  long nanoTime();

  /** Wall-clock Unix milliseconds, for sample ages, collection times and timestamps. */
  long currentTimeMillis();
}
