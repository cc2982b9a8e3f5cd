package io.microsandbox.metrics.micrometer.internal;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.series.SandboxSeries;

/**
 * One sandbox's latest sample, which its meters read: replaced at each refresh, read by any thread
 * that polls a meter (a scrape). Reading it touches only the heap.
 */
public final class SandboxValues {
  private record Sample(SandboxSnapshot snapshot, Allocation allocation) {}

  private volatile Sample sample;

  /** Holds {@code snapshot} and its {@code allocation}. */
  public SandboxValues(SandboxSnapshot snapshot, Allocation allocation) {
    this.sample = new Sample(snapshot, allocation);
  }

  /** Replaces the sample (at a refresh). */
  public void update(SandboxSnapshot snapshot, Allocation allocation) {
    this.sample = new Sample(snapshot, allocation);
  }

  /** The value of {@code series} in the latest sample; NaN when that sample has none. */
  public double value(SandboxSeries series) {
    Sample s = sample;
    if (!series.appliesTo(s.snapshot(), s.allocation())) {
      return Double.NaN;
    }
    return series.kind() == SandboxSeries.Kind.LONG_GAUGE
        ? series.longValue(s.snapshot(), s.allocation())
        : series.doubleValue(s.snapshot(), s.allocation());
  }
}
