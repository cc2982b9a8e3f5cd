package io.microsandbox.metrics.registry.testing;

import io.microsandbox.metrics.registry.TimeSource;
import java.util.function.LongSupplier;

/** {@link TimeSource}s whose readings a test or simulation controls. */
public final class TestClocks {
  private TestClocks() {}

  /** Both clocks read from the given suppliers (nanoseconds, Unix milliseconds). */
  public static TimeSource of(LongSupplier nanoTime, LongSupplier currentTimeMillis) {
    return new TimeSource() {
      @Override
      public long nanoTime() {
        return nanoTime.getAsLong();
      }

      @Override
      public long currentTimeMillis() {
        return currentTimeMillis.getAsLong();
      }
    };
  }

  /** The system's monotonic clock with a wall clock the caller controls. */
  public static TimeSource wallClock(LongSupplier currentTimeMillis) {
    return of(System::nanoTime, currentTimeMillis);
  }
}
