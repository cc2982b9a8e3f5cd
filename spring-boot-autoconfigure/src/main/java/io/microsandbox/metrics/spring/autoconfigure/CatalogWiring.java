package io.microsandbox.metrics.spring.autoconfigure;

import io.microsandbox.metrics.catalog.CatalogMetadataSource;
import io.microsandbox.metrics.collector.MetricsCollector;
import java.nio.file.Path;

/** Attaches the catalog; loaded only when msb-metrics-catalog is on the class path. */
final class CatalogWiring {
  private CatalogWiring() {}

  static void attach(MetricsCollector.Builder b, String home) {
    b.metadataSource(CatalogMetadataSource.builder().msbHome(Path.of(home)).build());
  }
}
