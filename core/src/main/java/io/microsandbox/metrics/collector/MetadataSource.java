package io.microsandbox.metrics.collector;

import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.util.List;
import java.util.Map;

/**
 * Supplies what is known about each sandbox besides its samples, for example from microsandbox's
 * catalog: its labels and its {@link Allocation} (vCPUs, memory, sampling).
 *
 * <p>Called on the collect thread once per tick. Implementations must be cheap when nothing changed
 * and should return the same {@link SandboxMetadata} instance (and the same label map) for a
 * sandbox whose metadata did not change, so that buffered collections share it. A metadata source
 * never costs metrics: when it throws, the tick's collection is shipped without labels and with
 * every allocation unknown.
 */
public interface MetadataSource extends AutoCloseable {

  /**
   * The metadata of the sandboxes in {@code snapshots}.
   *
   * @param snapshots the sandboxes of this tick
   * @return metadata by catalog sandbox id (never null); sandboxes the source knows nothing about
   *     may be left out
   */
  Map<Integer, SandboxMetadata> metadataFor(List<SandboxSnapshot> snapshots);

  /** Releases the source's resources (connections, caches). */
  @Override
  default void close() {}
}
