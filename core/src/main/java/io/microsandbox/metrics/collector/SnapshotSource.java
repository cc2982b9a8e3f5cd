package io.microsandbox.metrics.collector;

import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.util.List;
import java.util.Optional;

/**
 * Where the collector reads sandboxes from on every tick: the shared-memory registry by default;
 * tests and embedders may plug their own.
 */
public interface SnapshotSource extends AutoCloseable {

  /**
   * Reads every live sandbox once.
   *
   * @return the sandboxes, in slot order; empty when there are none (including when the registry
   *     does not exist yet)
   * @throws Exception a failure of this read; the collector logs it and skips the tick
   */
  List<SandboxSnapshot> read() throws Exception;

  /** Slots skipped so far (torn, stuck mid-write or corrupt), for collector telemetry. */
  default long skippedSlots() {
    return 0;
  }

  /**
   * The shared-memory registry this source reads and whether it existed at the latest read, for
   * {@link RunningCollector#status()}; empty (the default) for a source that is not a registry.
   */
  default Optional<RegistryStatus> registry() {
    return Optional.empty();
  }

  /** Releases the source's resources. */
  @Override
  default void close() {}
}
