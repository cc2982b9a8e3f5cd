package io.microsandbox.metrics.collector;

import java.nio.file.Path;

/**
 * Opens the {@link MetadataSource} of a microsandbox home. Found through {@link
 * java.util.ServiceLoader} (the {@code msb-metrics-catalog} module registers one, like the spool
 * module registers its {@code SpoolProvider}): {@link MetricsCollector#start()} attaches it when no
 * {@link MetricsCollector.Builder#metadataSource metadata source} is set, unless {@link
 * MetricsCollector.Builder#attachCatalog(boolean) attachCatalog(false)}.
 */
public interface MetadataSourceProvider {
  /**
   * Opens the metadata source of {@code msbHome}. Must not fail for a home or catalog that does not
   * exist yet: the source reports nothing until it does.
   *
   * @param msbHome the microsandbox home the collector reads
   * @return the source, closed by the collector at shutdown
   */
  MetadataSource open(Path msbHome);
}
