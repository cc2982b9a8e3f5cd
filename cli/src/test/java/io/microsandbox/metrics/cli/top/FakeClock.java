package io.microsandbox.metrics.cli.top;

import io.microsandbox.metrics.registry.TimeSource;

/** A clock the test moves by hand. */
final class FakeClock implements TimeSource {
  private long millis;

  FakeClock(long millis) {
    this.millis = millis;
  }

  /** Moves the clock forward. */
  void advance(long ms) {
    millis += ms;
  }

  @Override
  public long nanoTime() {
    return millis * 1_000_000;
  }

  @Override
  public long currentTimeMillis() {
    return millis;
  }
}
