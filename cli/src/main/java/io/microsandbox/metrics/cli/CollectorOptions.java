package io.microsandbox.metrics.cli;

import io.microsandbox.metrics.catalog.CatalogMetadataSource;
import io.microsandbox.metrics.collector.MetricsCollector;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The collector options every collecting command shares ({@code stdout}, {@code otel}, {@code
 * demo}, {@code prometheus}): what is read, how often, and which labels; mix in with {@code @Mixin
 * CollectorOptions collector;} and call {@link #applyTo}. How a pushing exporter flushes is {@link
 * ExportOptions}, which {@code prometheus} does not offer. Defaults are the library's ({@link
 * MetricsCollector}'s {@code DEFAULT_*} constants, those of the Rust {@code msb-metrics}), set on
 * the flags by {@link LibraryDefaults}: a command that mixes these options in names it as its
 * {@code modelTransformer}. Bad values are rejected while parsing: a one-line error naming the
 * flag, exit code 2, before anything starts.
 */
public final class CollectorOptions {

  @Option(
      names = "--collect-interval",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How often the registry is read (default: ${DEFAULT-VALUE}).")
  Duration collectInterval;

  @Option(
      names = "--max-sample-age",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Skip samples older than this; 0 disables (default: ${DEFAULT-VALUE}).")
  Duration maxSampleAge;

  @Mixin HomeOption home;

  @Option(
      names = "--max-labels",
      paramLabel = "N",
      converter = IntConverter.class,
      description =
          "Catalog labels kept per sandbox, the first by key; the rest are dropped, logged and"
              + " counted (default: ${DEFAULT-VALUE}).")
  int maxLabels;

  @Option(
      names = "--max-label-name-bytes",
      paramLabel = "N",
      converter = IntConverter.class,
      description = "Catalog labels with a longer name are dropped (default: ${DEFAULT-VALUE}).")
  int maxLabelNameBytes;

  @Option(
      names = "--max-label-value-bytes",
      paramLabel = "N",
      converter = IntConverter.class,
      description = "Catalog labels with a longer value are dropped (default: ${DEFAULT-VALUE}).")
  int maxLabelValueBytes;

  /** {@code --no-labels}, {@code --no-catalog} and {@code --exclude-label-key}. */
  @Mixin CatalogOptions catalog;

  /** The collect interval given (or defaulted). */
  public Duration collectInterval() {
    return collectInterval;
  }

  /** The max sample age given (or defaulted); zero disables the check. */
  public Duration maxSampleAge() {
    return maxSampleAge;
  }

  /** The {@code --msb-home} value, or null when not given (then $MSB_HOME or ~/.microsandbox). */
  public @Nullable String msbHome() {
    return home.path;
  }

  /**
   * Sets the collector settings of these options on {@code builder}.
   *
   * @return {@code builder}
   */
  public MetricsCollector.Builder applyTo(MetricsCollector.Builder builder) {
    builder
        .collectInterval(collectInterval)
        .maxSampleAge(maxSampleAge)
        .maxLabels(maxLabels)
        .maxLabelNameBytes(maxLabelNameBytes)
        .maxLabelValueBytes(maxLabelValueBytes);
    if (home.path != null && !home.path.isEmpty()) {
      builder.msbHome(home.path);
    }
    // the CLI builds the catalog from its own flags; without one (--no-catalog) none is attached
    catalog(System.getenv())
        .ifPresentOrElse(builder::metadataSource, () -> builder.attachCatalog(false));
    return builder;
  }

  /**
   * The catalog source of these options (see {@link CatalogOptions#source}); empty under {@code
   * --no-catalog}.
   */
  Optional<CatalogMetadataSource> catalog(Map<String, String> env) {
    return catalog.source(home.path, env);
  }

  /**
   * Sets the defaults of the collector flags from the library's constants, written as the flags are
   * ({@code 10s}); name it as the {@code modelTransformer} of every command that mixes these
   * options in.
   */
  static final class LibraryDefaults implements CommandLine.IModelTransformer {
    /** Each flag's default, as the library defines it. */
    static final Map<String, String> DEFAULTS =
        Map.of(
            "--collect-interval",
            DurationConverter.format(MetricsCollector.DEFAULT_COLLECT_INTERVAL),
            "--max-sample-age",
            DurationConverter.format(MetricsCollector.DEFAULT_MAX_SAMPLE_AGE),
            "--max-labels",
            Integer.toString(MetricsCollector.DEFAULT_MAX_LABELS),
            "--max-label-name-bytes",
            Integer.toString(MetricsCollector.DEFAULT_MAX_LABEL_NAME_BYTES),
            "--max-label-value-bytes",
            Integer.toString(MetricsCollector.DEFAULT_MAX_LABEL_VALUE_BYTES));

    @Override
    public CommandSpec transform(CommandSpec spec) {
      return setDefaults(spec, DEFAULTS);
    }

    /**
     * Sets each named flag's default on {@code spec}.
     *
     * @throws IllegalStateException when a flag is missing (a mix-in left out)
     */
    static CommandSpec setDefaults(CommandSpec spec, Map<String, String> defaults) {
      defaults.forEach(
          (name, value) -> {
            OptionSpec original = spec.findOption(name);
            if (original == null) {
              throw new IllegalStateException(
                  spec.qualifiedName() + ": option " + name + " is missing");
            }
            spec.remove(original);
            spec.addOption(original.toBuilder().defaultValue(value).build());
          });
      return spec;
    }
  }

  /**
   * Reads a whole number of at least 1; for flags of the command's own (the library checks its
   * settings itself, see {@link IntConverter}).
   */
  static final class PositiveIntConverter implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int n = new IntConverter().convert(value);
      if (n < 1) {
        throw new CommandLine.TypeConversionException("'" + value + "' must be at least 1");
      }
      return n;
    }
  }

  /**
   * Reads a whole number, nothing more: the library's builder checks the value of its own setting
   * (an {@code InvalidSettingException} that {@link CollectorRun} reports naming the flag).
   */
  static final class IntConverter implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        return Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number");
      }
    }
  }
}
