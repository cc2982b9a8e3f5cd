package io.microsandbox.metrics.collector;

import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One collection: what one collect tick read, with the time it was taken and each sandbox's
 * labels. Immutable.
 */
public final class SnapshotCollection {
  private final long collectedAtMs;
  private final List<SandboxSnapshot> snapshots;
  private final Map<Integer, Map<String, String>> labelsBySandboxId;

  /**
   * Creates a collection.
   *
   * @param collectedAtMs Unix milliseconds of the collect tick
   * @param snapshots the sandboxes read, in slot order (copied)
   * @param labelsBySandboxId each sandbox's labels by catalog sandbox id (copied); sandboxes
   *     without an entry have no labels
   */
  public SnapshotCollection(
      long collectedAtMs,
      List<SandboxSnapshot> snapshots,
      Map<Integer, Map<String, String>> labelsBySandboxId) {
    this.collectedAtMs = collectedAtMs;
    this.snapshots = List.copyOf(snapshots);
    this.labelsBySandboxId = Map.copyOf(labelsBySandboxId);
  }

  /** A collection without labels. */
  public static SnapshotCollection of(long collectedAtMs, List<SandboxSnapshot> snapshots) {
    return new SnapshotCollection(collectedAtMs, snapshots, Map.of());
  }

  /** Unix milliseconds of the collect tick that produced this collection. */
  public long collectedAtMs() {
    return collectedAtMs;
  }

  /** The sandboxes read, in slot order; empty when no sandbox was running. */
  public List<SandboxSnapshot> snapshots() {
    return snapshots;
  }

  /** The labels of {@code snapshot}'s sandbox, keys sorted; empty when it has none. */
  public Map<String, String> labels(SandboxSnapshot snapshot) {
    return labelsBySandboxId.getOrDefault(snapshot.sandboxId(), Map.of());
  }

  /** Every sandbox's labels, by catalog sandbox id. */
  public Map<Integer, Map<String, String>> labelsBySandboxId() {
    return labelsBySandboxId;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SnapshotCollection)) {
      return false;
    }
    SnapshotCollection c = (SnapshotCollection) o;
    return collectedAtMs == c.collectedAtMs
        && snapshots.equals(c.snapshots)
        && labelsBySandboxId.equals(c.labelsBySandboxId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(collectedAtMs, snapshots, labelsBySandboxId);
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
