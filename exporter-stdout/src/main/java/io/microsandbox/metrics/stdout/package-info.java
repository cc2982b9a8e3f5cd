/**
 * The stdout exporter: every sample as one human-readable line, or one JSON object per line.
 *
 * <pre>
 * collector worker --ExportBatch--> StdoutExporter --text | json lines--> System.out (or a Writer)
 * </pre>
 */
package io.microsandbox.metrics.stdout;
