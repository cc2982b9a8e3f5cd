package io.microsandbox.metrics.collector;

import java.util.OptionalLong;

/**
 * What one sandbox is allocated, as its effective config in microsandbox's catalog says: the {@code
 * resources} and the metrics sampling of {@code active_config}, else of {@code config}.
 *
 * <p>Every number is known or unknown on its own: {@code 0} means unknown (the field was missing,
 * zero or not a number), never "zero allocated". Nothing here is ever {@code null}; a sandbox the
 * catalog knows nothing about has {@link #UNKNOWN}.
 *
 * <p>Sampling has three states: every {@link #sampleIntervalMs()} milliseconds (positive), off
 * ({@link #samplingOff()}: the config turns the runtime's sampler off), or unknown (neither).
 *
 * @param cpus vCPUs presented to the guest now ({@code resources.cpus}); 0 when unknown
 * @param memoryMib guest memory presented now, MiB ({@code resources.memory_mib}); 0 when unknown
 * @param maxCpus hot-plug ceiling of vCPUs ({@code resources.max_cpus}); 0 when unknown
 * @param maxMemoryMib hot-plug ceiling of guest memory, MiB ({@code resources.max_memory_mib}); 0
 *     when unknown
 * @param sampleIntervalMs how often the runtime writes a sample, ms ({@code
 *     runtime.metrics_sample_interval_ms}); 0 when sampling is off or unknown
 * @param samplingOff whether the config turns sampling off ({@code metrics_sample_interval_ms} null
 *     or 0, or {@code runtime.disable_metrics_sample} true); then {@code sampleIntervalMs} is 0
 */
public record Allocation(
    int cpus,
    long memoryMib,
    int maxCpus,
    long maxMemoryMib,
    long sampleIntervalMs,
    boolean samplingOff) {

  /** Nothing known: the sandbox has no catalog row, or its config could not be read. */
  public static final Allocation UNKNOWN = new Allocation(0, 0, 0, 0, 0, false);

  private static final long MIB = 1024L * 1024L;

  /**
   * Checks the components.
   *
   * @throws IllegalArgumentException when a number is negative, or sampling is off with an interval
   */
  public Allocation {
    if (cpus < 0 || memoryMib < 0 || maxCpus < 0 || maxMemoryMib < 0 || sampleIntervalMs < 0) {
      throw new IllegalArgumentException(
          "allocation numbers must be 0 (unknown) or positive: cpus="
              + cpus
              + " memoryMib="
              + memoryMib
              + " maxCpus="
              + maxCpus
              + " maxMemoryMib="
              + maxMemoryMib
              + " sampleIntervalMs="
              + sampleIntervalMs);
    }
    if (samplingOff && sampleIntervalMs != 0) {
      throw new IllegalArgumentException(
          "sampling is off but sampleIntervalMs is " + sampleIntervalMs);
    }
  }

  /**
   * The guest memory limit in bytes, {@code memoryMib} x 1 MiB (saturating), when {@code memoryMib}
   * is known.
   */
  public OptionalLong memoryLimitBytes() {
    if (memoryMib == 0) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(memoryMib > Long.MAX_VALUE / MIB ? Long.MAX_VALUE : memoryMib * MIB);
  }

  /** Whether the config says how the runtime samples: every so many ms, or not at all. */
  public boolean samplingKnown() {
    return samplingOff || sampleIntervalMs > 0;
  }
}
