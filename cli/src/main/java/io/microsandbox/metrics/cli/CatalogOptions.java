package io.microsandbox.metrics.cli;

import io.microsandbox.metrics.catalog.CatalogMetadataSource;
import io.microsandbox.metrics.collector.LogSafe;
import io.microsandbox.metrics.registry.RegistryName;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The catalog switch every command that reads microsandbox's catalog ({@code <msb home>/db/msb.db})
 * shares ({@code stdout}, {@code otel}, {@code demo} through {@link CollectorOptions}, and {@code
 * top}): its labels and each sandbox's allocation (vCPUs, memory, sampling). Mix in with
 * {@code @Mixin CatalogOptions catalog;} and ask {@link #source} for the catalog source.
 *
 * <pre>
 *   (default)        labels + allocation
 *   --no-labels      allocation only: no label reaches a point, the limits stay right
 *   --no-catalog     the catalog is never opened: no labels, the registry's memory limit, no
 *                    microsandbox.cpu.limit
 *   --catalog-max-row-bytes SIZE   a sandbox whose config is larger is skipped (one WARN)
 * </pre>
 */
public final class CatalogOptions {

  @Option(
      names = "--no-labels",
      description =
          "Read no catalog labels: none is shipped, and top's --filter matches names only. Each"
              + " sandbox's allocation (vCPUs, memory limit) is still read from the catalog;"
              + " --no-catalog leaves it alone altogether.")
  boolean noLabels;

  @Option(
      names = "--no-catalog",
      description =
          "Never open the microsandbox catalog (<msb home>/db/msb.db): no labels, no"
              + " microsandbox.cpu.limit, and the memory limit is the registry's (stale after a"
              + " live resize).")
  boolean noCatalog;

  @Option(
      names = "--catalog-max-row-bytes",
      paramLabel = "SIZE",
      converter = RowSizeConverter.class,
      defaultValue = "" + CatalogMetadataSource.DEFAULT_MAX_ROW_BYTES,
      description =
          "Largest sandbox config read from the catalog (bytes, or with KiB/MiB); a larger one is"
              + " skipped for that sandbox with one warning (default: ${DEFAULT-VALUE}).")
  long maxRowBytes;

  @Option(
      names = "--exclude-label-key",
      paramLabel = "KEY",
      description = "Withhold catalog labels with this key (repeatable).")
  List<String> excludedLabelKeys = new ArrayList<>();

  /**
   * The catalog source these options ask for: {@code <msb home>/db/msb.db} without the excluded
   * label keys, without labels under {@code --no-labels}; empty under {@code --no-catalog}, or when
   * no home can be located (the registry then reports that itself). The caller closes it.
   *
   * @param msbHome the {@code --msb-home} value, or null for {@code $MSB_HOME}, else {@code
   *     ~/.microsandbox}
   * @param env the environment the home is resolved in
   */
  public Optional<CatalogMetadataSource> source(@Nullable String msbHome, Map<String, String> env) {
    if (noCatalog) {
      return Optional.empty();
    }
    String home;
    try {
      home = RegistryName.resolveHome(msbHome, env);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    Path homePath;
    try {
      homePath = Path.of(home);
    } catch (InvalidPathException e) {
      // the locale's charset cannot hold the home's characters (LC_ALL=C and a non-ASCII home):
      // the registry is still found (its name is hashed from the exact bytes), labels are not
      LoggerFactory.getLogger(CatalogOptions.class)
          .warn(
              "catalog off (no labels or allocations): the home {} cannot be a file path in this"
                  + " locale ({}); run with a UTF-8 locale (LC_ALL=C.UTF-8) for them",
              LogSafe.escape(home),
              System.getProperty("sun.jnu.encoding"));
      return Optional.empty();
    }
    return Optional.of(
        CatalogMetadataSource.builder()
            .msbHome(homePath)
            .readLabels(!noLabels)
            .excludeLabelKeys(excludedLabelKeys)
            .maxRowBytes(maxRowBytes)
            .build());
  }

  /** Reads {@code 1048576}, {@code 512KiB} or {@code 4MiB}: a positive size. */
  static final class RowSizeConverter implements CommandLine.ITypeConverter<Long> {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(b|kib|mib)?");

    @Override
    public Long convert(String value) {
      Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
      if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a positive size (examples: 1048576, 512KiB, 4MiB)");
      }
      int shift = "kib".equals(m.group(2)) ? 10 : "mib".equals(m.group(2)) ? 20 : 0;
      return Long.parseLong(m.group(1)) << shift;
    }
  }
}
