package io.microsandbox.metrics.cli;

import io.microsandbox.metrics.catalog.CatalogLabelSource;
import io.microsandbox.metrics.registry.RegistryName;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The catalog switch every command that reads microsandbox's catalog shares ({@code stdout}, {@code
 * otel}, {@code demo} through {@link CollectorOptions}, and {@code top}): {@code --no-labels} and
 * {@code --exclude-label-key}. Mix in with {@code @Mixin CatalogOptions catalog;}.
 */
public final class CatalogOptions {

  @Option(
      names = "--no-labels",
      description =
          "Do not read sandbox labels from the microsandbox catalog (<msb home>/db/msb.db).")
  boolean noLabels;

  @Option(
      names = "--exclude-label-key",
      paramLabel = "KEY",
      description = "Withhold catalog labels with this key (repeatable).")
  List<String> excludedLabelKeys = new ArrayList<>();

  /**
   * The catalog label source of the home {@code msbHome} (or, when null, $MSB_HOME /
   * ~/.microsandbox from {@code env}) without the excluded keys; empty with {@code --no-labels}, or
   * when no home can be located (the registry then reports that itself).
   */
  Optional<CatalogLabelSource> labelSource(String msbHome, Map<String, String> env) {
    if (noLabels) {
      return Optional.empty();
    }
    String home;
    try {
      home = RegistryName.resolveHome(msbHome, env);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.of(
        CatalogLabelSource.builder()
            .msbHome(Path.of(home))
            .excludeLabelKeys(excludedLabelKeys)
            .build());
  }
}
