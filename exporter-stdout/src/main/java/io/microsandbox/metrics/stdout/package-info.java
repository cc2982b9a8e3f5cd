/**
 * The stdout exporter: every sample as one human-readable line, or one JSON object per line.
 *
 * <pre>
 * collector worker --ExportBatch--> StdoutExporter --text | json lines--> System.out (or a Writer)
 * </pre>
 *
 * <p>Nothing here is null unless marked {@code @Nullable} (JSpecify).
 */
@NullMarked
package io.microsandbox.metrics.stdout;

import org.jspecify.annotations.NullMarked;
