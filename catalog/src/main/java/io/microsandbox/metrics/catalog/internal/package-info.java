/**
 * Internals of {@link io.microsandbox.metrics.catalog.CatalogMetadataSource}; not API.
 *
 * <ul>
 *   <li>{@code CatalogReader}: the kept read-only JDBC connection, change detection and the bulk
 *       query.
 *   <li>{@code ConfigParser}: config JSON to an immutable sorted label map and an allocation, with
 *       what was withheld or unknown and why.
 *   <li>{@code MetadataCache}: labels and allocation per sandbox id, re-parsed only when the config
 *       text changes.
 *   <li>{@code CatalogHealth}: logs outages once, and their end.
 * </ul>
 */
@NullMarked
package io.microsandbox.metrics.catalog.internal;

import org.jspecify.annotations.NullMarked;
