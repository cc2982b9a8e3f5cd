package io.microsandbox.metrics.collector;

import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.util.List;
import java.util.Map;

/**
 * One collection: what one collect tick read, with the time it was taken and each sandbox's labels
 * and allocation. Immutable.
 *
 * @param collectedAtMs Unix milliseconds of the collect tick that produced this collection
 * @param snapshots the sandboxes read, in slot order (copied); empty when no sandbox was running
 * @param labelsBySandboxId each sandbox's labels by catalog sandbox id (copied); sandboxes without
 *     an entry have no labels. Look one sandbox up with {@link #labels(SandboxSnapshot)}.
 * @param allocationsBySandboxId each sandbox's allocation by catalog sandbox id (copied); sandboxes
 *     without an entry have {@link Allocation#UNKNOWN}. Look one sandbox up with {@link
 *     #allocation(SandboxSnapshot)}.
 */
public record SnapshotCollection(
    long collectedAtMs,
    List<SandboxSnapshot> snapshots,
    Map<Integer, Map<String, String>> labelsBySandboxId,
    Map<Integer, Allocation> allocationsBySandboxId) {

  /** Copies the components. */
  public SnapshotCollection {
    snapshots = List.copyOf(snapshots);
    labelsBySandboxId = Map.copyOf(labelsBySandboxId);
    allocationsBySandboxId = Map.copyOf(allocationsBySandboxId);
  }

  /**
   * A collection with labels and no allocations.
   *
   * @param collectedAtMs Unix milliseconds of the collect tick
   * @param snapshots the sandboxes read, in slot order
   * @param labelsBySandboxId each sandbox's labels by catalog sandbox id
   */
  public SnapshotCollection(
      long collectedAtMs,
      List<SandboxSnapshot> snapshots,
      Map<Integer, Map<String, String>> labelsBySandboxId) {
    this(collectedAtMs, snapshots, labelsBySandboxId, Map.of());
  }

  /** A collection without labels or allocations. */
  public static SnapshotCollection of(long collectedAtMs, List<SandboxSnapshot> snapshots) {
    return new SnapshotCollection(collectedAtMs, snapshots, Map.of(), Map.of());
  }

  /** The labels of {@code snapshot}'s sandbox, keys sorted; empty when it has none. */
  public Map<String, String> labels(SandboxSnapshot snapshot) {
    return labelsBySandboxId.getOrDefault(snapshot.sandboxId(), Map.of());
  }

  /** The allocation of {@code snapshot}'s sandbox; {@link Allocation#UNKNOWN} when not known. */
  public Allocation allocation(SandboxSnapshot snapshot) {
    return allocationsBySandboxId.getOrDefault(snapshot.sandboxId(), Allocation.UNKNOWN);
  }

  @Override
  public String toString() {
    return "SnapshotCollection{collectedAtMs="
        + collectedAtMs
        + ", sandboxes="
        + snapshots.size()
        + '}';
  }
}
