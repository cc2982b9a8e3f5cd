package io.microsandbox.metrics.spool;

import io.microsandbox.metrics.collector.spool.CollectionSpool;
import io.microsandbox.metrics.collector.spool.SpoolProvider;
import io.microsandbox.metrics.collector.spool.SpoolSettings;
import io.microsandbox.metrics.spool.internal.DiskSpool;

/**
 * The disk spool: found by the collector through {@link java.util.ServiceLoader} when this module
 * is on the class path and an exporter's configuration sets a spool directory.
 */
public final class DiskSpoolProvider implements SpoolProvider {
  /** Creates the provider (the ServiceLoader calls this). */
  public DiskSpoolProvider() {}

  @Override
  public CollectionSpool open(String exporterName, SpoolSettings settings) {
    return DiskSpool.open(exporterName, settings, System::currentTimeMillis);
  }
}
