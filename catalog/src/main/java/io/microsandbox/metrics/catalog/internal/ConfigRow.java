package io.microsandbox.metrics.catalog.internal;

import org.jspecify.annotations.Nullable;

/**
 * One sandbox's config as {@link CatalogReader} fetched it: the JSON text, or only its size when it
 * is over the reader's row limit (the text is then never fetched into the JVM).
 *
 * @param json the config text ({@code active_config}, else {@code config}); null when there is none
 *     or it was over the limit
 * @param oversizeBytes the config's size in bytes when it was over the limit, else 0
 */
public record ConfigRow(@Nullable String json, long oversizeBytes) {
  /** Whether the row was skipped for its size. */
  public boolean oversized() {
    return oversizeBytes > 0;
  }
}
