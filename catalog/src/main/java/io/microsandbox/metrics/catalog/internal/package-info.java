/**
 * Internals of {@link io.microsandbox.metrics.catalog.CatalogLabelSource}; not API.
 *
 * <ul>
 *   <li>{@code CatalogReader}: the kept read-only JDBC connection, change detection and the bulk
 *       query.
 *   <li>{@code LabelParser}: config JSON to an immutable sorted label map, with what was withheld.
 *   <li>{@code LabelCache}: labels per sandbox id, re-parsed only when the config text changes.
 *   <li>{@code CatalogHealth}: logs outages once, and their end.
 * </ul>
 */
package io.microsandbox.metrics.catalog.internal;
