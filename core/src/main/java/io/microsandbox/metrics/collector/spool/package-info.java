/**
 * The storage SPI behind an exporter's buffer: plug in durable storage so that buffered collections
 * survive restarts and long outages. Without a spool the buffer lives in memory only.
 *
 * <pre>
 *  collect tick --append--> CollectionSpool (disk) ---readAfter(seq)--> memory window
 *                                 ^                                     (at most max buffered)
 *                                 |                                          |
 *                                 +------------ remove(seq) &lt;---- exporter accepted it
 * </pre>
 *
 * <p>{@link io.microsandbox.metrics.collector.ExporterConfig.Builder#spoolDir} turns a spool on;
 * the collector then finds a {@link io.microsandbox.metrics.collector.spool.SpoolProvider} through
 * {@link java.util.ServiceLoader} (the {@code msb-metrics-spool} module provides one) and opens one
 * {@link io.microsandbox.metrics.collector.spool.CollectionSpool} per exporter, in a subdirectory
 * named after the exporter.
 */
@NullMarked
package io.microsandbox.metrics.collector.spool;

import org.jspecify.annotations.NullMarked;
