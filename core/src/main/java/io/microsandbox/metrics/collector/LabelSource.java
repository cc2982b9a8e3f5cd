package io.microsandbox.metrics.collector;

import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.util.List;
import java.util.Map;

/**
 * Supplies per-sandbox labels (for example from microsandbox's catalog) for each collection.
 *
 * <p>Called on the collect thread once per tick. Implementations must be cheap when nothing
 * changed and should return the same {@code Map} instance for a sandbox whose labels did not
 * change, so that buffered collections share it. A label source never costs metrics: when it
 * throws, the tick's collection is shipped without labels.
 */
public interface LabelSource extends AutoCloseable {

  /**
   * The labels of the sandboxes in {@code snapshots}.
   *
   * @param snapshots the sandboxes of this tick
   * @return labels by catalog sandbox id (immutable maps with sorted keys); sandboxes without
   *     labels may be left out
   */
  Map<Integer, Map<String, String>> labelsFor(List<SandboxSnapshot> snapshots);

  /** Releases the source's resources (connections, caches). */
  @Override
  default void close() {}
}
