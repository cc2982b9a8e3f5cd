package io.microsandbox.metrics.cli.top;

import java.util.Map;

/**
 * What the catalog knows about the sandboxes of one tick: labels and allocations by catalog sandbox
 * id. Either map may lack a sandbox (or be empty when the catalog is unavailable or switched off).
 *
 * @param labels labels by sandbox id
 * @param allocations allocations by sandbox id
 */
public record CatalogDetails(
    Map<Integer, Map<String, String>> labels, Map<Integer, Allocation> allocations) {
  /** Nothing known: no catalog, or it cannot be read. */
  public static final CatalogDetails NONE = new CatalogDetails(Map.of(), Map.of());

  /** Immutable copies of the outer maps (the label maps themselves are shared). */
  public CatalogDetails {
    labels = Map.copyOf(labels);
    allocations = Map.copyOf(allocations);
  }

  /** The labels of sandbox {@code id}; empty when none. */
  public Map<String, String> labelsOf(int id) {
    return labels.getOrDefault(id, Map.of());
  }

  /** The allocation of sandbox {@code id}; {@link Allocation#UNKNOWN} when not known. */
  public Allocation allocationOf(int id) {
    return allocations.getOrDefault(id, Allocation.UNKNOWN);
  }
}
