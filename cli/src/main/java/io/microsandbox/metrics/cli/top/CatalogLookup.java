package io.microsandbox.metrics.cli.top;

import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.util.List;

/**
 * Where the view gets labels and allocations for the sandboxes of a tick. Implementations never
 * throw for an unreadable catalog: they return what they know ({@link CatalogDetails#NONE} at
 * worst), so a catalog outage only loses the allocation columns and the label filter.
 */
public interface CatalogLookup extends AutoCloseable {
  /** No catalog at all ({@code --no-labels}, or no home to find it in). */
  CatalogLookup NONE = snapshots -> CatalogDetails.NONE;

  /** What the catalog knows about {@code snapshots}. */
  CatalogDetails lookup(List<SandboxSnapshot> snapshots);

  /** Releases the catalog connection. */
  @Override
  default void close() {}
}
