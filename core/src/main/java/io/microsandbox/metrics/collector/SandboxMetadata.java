package io.microsandbox.metrics.collector;

import java.util.Map;
import java.util.Objects;

/**
 * What a {@link MetadataSource} knows about one sandbox besides its samples: its labels and its
 * allocation. Immutable.
 *
 * @param labels the sandbox's labels, keys sorted (immutable; empty when it has none; never null)
 * @param allocation what the sandbox is allocated ({@link Allocation#UNKNOWN} when not known; never
 *     null)
 */
public record SandboxMetadata(Map<String, String> labels, Allocation allocation) {

  /** No labels, nothing known about the allocation. */
  public static final SandboxMetadata NONE = new SandboxMetadata(Map.of(), Allocation.UNKNOWN);

  /**
   * Checks the components; the label map is kept as given (sources share one instance across ticks,
   * so it is not copied).
   *
   * @throws NullPointerException when a component is null
   */
  public SandboxMetadata {
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(allocation, "allocation");
  }

  /** Whether there is nothing to attach (no labels, allocation unknown). */
  public boolean isEmpty() {
    return labels.isEmpty() && allocation.equals(Allocation.UNKNOWN);
  }
}
