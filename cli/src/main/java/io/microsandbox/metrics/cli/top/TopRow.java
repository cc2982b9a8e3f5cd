package io.microsandbox.metrics.cli.top;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One sandbox in one frame of the view: its latest sample, how the view classifies it, what the
 * catalog says about it, and its throughput.
 *
 * @param snapshot the latest sample read from the registry
 * @param state running, stalled or exited
 * @param allocation the catalog's allocation ({@link Allocation#UNKNOWN} when not known)
 * @param labels the catalog labels (empty when none)
 * @param rates throughput between the latest two samples of this run, or null until there are two
 * @param sampleAgeMs how long ago (by the view's clock) the latest sample was taken, at least 0
 */
public record TopRow(
    SandboxSnapshot snapshot,
    SandboxState state,
    Allocation allocation,
    Map<String, String> labels,
    @Nullable Rates rates,
    long sampleAgeMs) {

  /** The sandbox name. */
  public String name() {
    return snapshot.name();
  }

  /** Busy vCPUs at the latest sample (1.0 = one vCPU fully busy). */
  public double busyVcpus() {
    float percent = snapshot.cpuPercent();
    return Float.isFinite(percent) && percent > 0 ? percent / 100.0 : 0.0;
  }

  /** Guest memory in use, unsigned bytes. */
  public long memoryUsedBytes() {
    return snapshot.raw(SampleField.MEMORY_BYTES);
  }

  /**
   * The memory limit: the catalog's when known (it follows live resizes), else the registry's,
   * which is stamped once when the slot is reserved. Unsigned bytes.
   */
  public long memoryLimitBytes() {
    return allocation.memoryLimitBytes().orElse(snapshot.raw(SampleField.MEMORY_LIMIT_BYTES));
  }

  /** The vCPUs allocated, or null when the catalog does not say. */
  public @Nullable Integer cpus() {
    return allocation.cpus() > 0 ? allocation.cpus() : null;
  }
}
