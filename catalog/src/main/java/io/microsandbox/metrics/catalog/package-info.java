/**
 * Per-sandbox labels from microsandbox's SQLite catalog.
 *
 * <p>{@link io.microsandbox.metrics.catalog.CatalogLabelSource} is a {@link
 * io.microsandbox.metrics.collector.LabelSource}: the collector asks it once per tick for the
 * labels of the sandboxes it just read from the registry, and attaches them to the collection.
 *
 * <pre>
 *   collect tick ──ids──▶ CatalogLabelSource ──stat + PRAGMA data_version──▶ $MSB_HOME/db/msb.db
 *        ▲                  │   changed or new ids only:                      (read-only,
 *        │                  │   SELECT id, COALESCE(active_config, config)     busy timeout)
 *        │                  ▼
 *        └──labels by id── cache per id (config text ─▶ immutable sorted map, parsed on change)
 * </pre>
 *
 * <p>A missing, locked or corrupt catalog never costs metrics: the tick goes on without labels,
 * the outage is logged once and the catalog is retried on the next tick.
 *
 * <p>Nothing here is null unless marked {@code @Nullable} (JSpecify).
 */
@NullMarked
package io.microsandbox.metrics.catalog;

import org.jspecify.annotations.NullMarked;
