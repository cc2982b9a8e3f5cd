package io.microsandbox.metrics.collector;

import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.util.List;
import java.util.Map;

/**
 * One collection: what one collect tick read, with the time it was taken and each sandbox's labels.
 * Immutable.
 *
 * @param collectedAtMs Unix milliseconds of the collect tick that produced this collection
 * @param snapshots the sandboxes read, in slot order (copied); empty when no sandbox was running
 * @param labelsBySandboxId each sandbox's labels by catalog sandbox id (copied); sandboxes without
 *     an entry have no labels. Look one sandbox up with {@link #labels(SandboxSnapshot)}.
 */
public record SnapshotCollection(
    long collectedAtMs,
    List<SandboxSnapshot> snapshots,
    Map<Integer, Map<String, String>> labelsBySandboxId) {

  /** Copies the components. */
  public SnapshotCollection {
    snapshots = List.copyOf(snapshots);
    labelsBySandboxId = Map.copyOf(labelsBySandboxId);
  }

  /** A collection without labels. */
  public static SnapshotCollection of(long collectedAtMs, List<SandboxSnapshot> snapshots) {
    return new SnapshotCollection(collectedAtMs, snapshots, Map.of());
  }

  /** The labels of {@code snapshot}'s sandbox, keys sorted; empty when it has none. */
  public Map<String, String> labels(SandboxSnapshot snapshot) {
    return labelsBySandboxId.getOrDefault(snapshot.sandboxId(), Map.of());
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
