/**
 * A durable on-disk spool per exporter, plugged into the collector through its storage SPI ({@link
 * io.microsandbox.metrics.collector.spool}). Put this module on the class path and set {@code
 * ExporterConfig.builder().spoolDir(...)}; the collector finds {@link
 * io.microsandbox.metrics.spool.DiskSpoolProvider} through the ServiceLoader.
 *
 * <pre>
 *  spool-dir/
 *    otlp/                 one directory per exporter, locked while in use
 *      LOCK
 *      seg-00000000000000000000.log   append-only records, CRC-32C each, delta + varint encoded
 *      seg-00000000000000004096.log
 *      acks                           sequence numbers delivered (or dropped)
 * </pre>
 */
@NullMarked
package io.microsandbox.metrics.spool;

import org.jspecify.annotations.NullMarked;
