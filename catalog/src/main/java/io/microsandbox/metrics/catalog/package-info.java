/**
 * Per-sandbox labels and allocations from microsandbox's SQLite catalog.
 *
 * <p>{@link io.microsandbox.metrics.catalog.CatalogMetadataSource} is a {@link
 * io.microsandbox.metrics.collector.MetadataSource}: the collector asks it once per tick for the
 * labels and allocations of the sandboxes it just read from the registry, and attaches them to the
 * collection. A live view can ask it the same way.
 *
 * <pre>
 *   collect tick ──ids──▶ CatalogMetadataSource ──stat + PRAGMA data_version──▶ $MSB_HOME/db/msb.db
 *        ▲                  │   changed or new ids only:                         (read-only,
 *        │                  │   SELECT id, COALESCE(active_config, config)        busy timeout)
 *        │                  ▼
 *        └──metadata by id── cache per id (config text ─▶ labels + allocation, parsed on change)
 * </pre>
 *
 * <p>A missing, locked or corrupt catalog never costs metrics: the tick goes on (sandboxes already
 * read keep their last labels and allocation), the outage is logged once and the catalog is retried
 * on the next tick.
 *
 * <p>Nothing here is null unless marked {@code @Nullable} (JSpecify).
 */
@NullMarked
package io.microsandbox.metrics.catalog;

import org.jspecify.annotations.NullMarked;
