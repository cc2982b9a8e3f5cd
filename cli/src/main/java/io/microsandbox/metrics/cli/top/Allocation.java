package io.microsandbox.metrics.cli.top;

import java.time.Duration;

/**
 * What the catalog says a sandbox was given: vCPUs, memory limit and how often its runtime samples.
 * Every part is optional ({@code null}): the view then falls back to the registry's memory limit,
 * shows CPU without a denominator, and assumes the default sample interval.
 *
 * @param cpus vCPUs presented to the guest, or null when unknown
 * @param memoryLimitBytes guest memory limit in bytes, or null when unknown
 * @param sampleInterval the runtime's sampling period, or null when unknown
 */
public record Allocation(Integer cpus, Long memoryLimitBytes, Duration sampleInterval) {
  /** Nothing known. */
  public static final Allocation UNKNOWN = new Allocation(null, null, null);
}
