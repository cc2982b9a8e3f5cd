/**
 * JSON renderings shared by the command line and exporters, so every JSON output of the project
 * spells a sandbox sample the same way ({@link io.microsandbox.metrics.json.SnapshotJson}).
 *
 * <p>Nothing here is null unless marked {@code @Nullable} (JSpecify).
 */
@NullMarked
package io.microsandbox.metrics.json;

import org.jspecify.annotations.NullMarked;
