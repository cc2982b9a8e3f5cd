package io.microsandbox.metrics.catalog.internal;

import io.microsandbox.metrics.catalog.CatalogMetadataSource;
import io.microsandbox.metrics.collector.MetadataSource;
import io.microsandbox.metrics.collector.MetadataSourceProvider;
import java.nio.file.Path;

/**
 * Registers the catalog with the collector (through {@link java.util.ServiceLoader}): with this
 * module on the class path, a collector without a metadata source of its own reads its home's
 * catalog with the default settings.
 */
public final class CatalogSourceProvider implements MetadataSourceProvider {
  /** Creates the provider (the ServiceLoader calls it). */
  public CatalogSourceProvider() {}

  @Override
  public MetadataSource open(Path msbHome) {
    return CatalogMetadataSource.builder().msbHome(msbHome).build();
  }
}
