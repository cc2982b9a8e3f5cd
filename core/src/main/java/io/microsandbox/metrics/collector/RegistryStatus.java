package io.microsandbox.metrics.collector;

import java.util.Objects;

/**
 * Which shared-memory registry a {@link SnapshotSource} reads, and whether it existed at its latest
 * read (a registry that does not exist yet reads as no sandboxes).
 *
 * @param name the shared-memory object name, for example {@code /msb-met-0123456789abcdef-v3}
 * @param exists whether the object existed at the latest read; false before the first read
 */
public record RegistryStatus(String name, boolean exists) {
  /** Checks the name. */
  public RegistryStatus {
    Objects.requireNonNull(name, "name");
  }
}
