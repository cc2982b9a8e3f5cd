package io.microsandbox.metrics.collector.spool;

import io.microsandbox.metrics.collector.SnapshotCollection;
import java.util.Objects;

/**
 * One entry read back from a {@link CollectionSpool}.
 *
 * @param seq the entry's sequence number, for {@link CollectionSpool#remove}
 * @param collection the collection as it was appended
 */
public record SpooledCollection(long seq, SnapshotCollection collection) {
  /** Checks the collection is present. */
  public SpooledCollection {
    Objects.requireNonNull(collection, "collection");
  }
}
