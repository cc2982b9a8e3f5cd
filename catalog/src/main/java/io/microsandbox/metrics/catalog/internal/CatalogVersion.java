package io.microsandbox.metrics.catalog.internal;

/**
 * Identifies one state of the catalog's content as seen by a {@link CatalogReader}: equal versions
 * mean nothing was committed to the database in between, so rows read at the first are still
 * current at the second.
 *
 * @param connection which connection measured it; SQLite's {@code data_version} is only comparable
 *     within one connection, so a reconnect never equals an earlier version
 * @param dataVersion SQLite's {@code PRAGMA data_version} on that connection
 */
public record CatalogVersion(long connection, long dataVersion) {}
