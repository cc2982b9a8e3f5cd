package io.microsandbox.metrics.registry;

import java.util.Collections;
import java.util.List;

/**
 * The result of one full read of the registry: whether it exists, its capacity, the sandboxes read
 * (in slot order) and how many slots had to be skipped in this read. Immutable.
 */
public final class RegistryScan {
  private static final RegistryScan MISSING = new RegistryScan(false, 0, List.of(), 0);

  private final boolean exists;
  private final int capacity;
  private final List<SandboxSnapshot> snapshots;
  private final int skippedSlots;

  private RegistryScan(
      boolean exists, int capacity, List<SandboxSnapshot> snapshots, int skippedSlots) {
    this.exists = exists;
    this.capacity = capacity;
    this.snapshots = snapshots;
    this.skippedSlots = skippedSlots;
  }

  /** The scan of a registry that does not exist (yet): no sandboxes. */
  public static RegistryScan missing() {
    return MISSING;
  }

  /**
   * A scan of an existing registry.
   *
   * @param capacity the registry's number of slots
   * @param snapshots the sandboxes read, in slot order (copied)
   * @param skippedSlots slots skipped in this scan (torn, stuck mid-write or corrupt)
   */
  public static RegistryScan of(int capacity, List<SandboxSnapshot> snapshots, int skippedSlots) {
    return new RegistryScan(true, capacity, List.copyOf(snapshots), skippedSlots);
  }

  /** A scan that takes ownership of {@code snapshots} (no copy: the reader's hot path). */
  static RegistryScan ofOwned(int capacity, List<SandboxSnapshot> snapshots, int skippedSlots) {
    return new RegistryScan(true, capacity, Collections.unmodifiableList(snapshots), skippedSlots);
  }

  /** Whether the registry object exists. When false there are no sandboxes. */
  public boolean exists() {
    return exists;
  }

  /** The registry's number of slots; 0 when it does not exist. */
  public int capacity() {
    return capacity;
  }

  /** The sandboxes read, in slot order; immutable. */
  public List<SandboxSnapshot> snapshots() {
    return snapshots;
  }

  /** Slots skipped in this scan because they could not be read coherently or were corrupt. */
  public int skippedSlots() {
    return skippedSlots;
  }

  @Override
  public String toString() {
    return exists
        ? "RegistryScan{capacity="
            + capacity
            + ", snapshots="
            + snapshots.size()
            + ", skippedSlots="
            + skippedSlots
            + '}'
        : "RegistryScan{missing}";
  }
}
