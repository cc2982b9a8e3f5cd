package io.microsandbox.metrics.cli;

import io.microsandbox.metrics.collector.ExporterConfig;
import io.microsandbox.metrics.collector.InvalidSettingException;
import io.microsandbox.metrics.collector.spool.SpoolSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The spool options of every pushing exporter's command ({@code otel}, {@code demo}): with {@code
 * --spool-dir} the exporter's buffer lives on disk in its own subdirectory and survives restarts,
 * crashes and long outages. Defaults are the library's ({@link SpoolSettings}'s {@code DEFAULT_*}),
 * set by {@link Defaults}.
 */
public final class SpoolOptions {
  // the spool flags, by the ExporterConfig setting each one sets
  private static final Map<String, String> FLAG_OF_SETTING =
      Map.of(
          "spoolDir", "--spool-dir",
          "spoolMaxBytes", "--spool-max-bytes",
          "spoolMaxAge", "--spool-max-age",
          "spoolSync", "--spool-sync");

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--spool-dir",
      paramLabel = "PATH",
      description =
          "Keep each exporter's buffer on disk under PATH/<exporter> so that nothing is lost across"
              + " restarts and long outages (default: off, memory only).")
  @Nullable Path spoolDir;

  @Option(
      names = "--spool-max-bytes",
      paramLabel = "SIZE",
      converter = ByteSizeConverter.class,
      description =
          "Most bytes each exporter's spool keeps; beyond it the oldest collections are dropped"
              + " (default: ${DEFAULT-VALUE}).")
  long spoolMaxBytes;

  @Option(
      names = "--spool-max-age",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Spooled collections older than this are dropped: backends refuse samples that old"
              + " (default: ${DEFAULT-VALUE}).")
  Duration spoolMaxAge;

  @Option(
      names = "--spool-sync",
      paramLabel = "always|DURATION",
      converter = SyncConverter.class,
      description =
          "Force spooled collections to disk after every append (always), or at most this long"
              + " after (default: ${DEFAULT-VALUE}: a power loss loses at most that).")
  Duration spoolSync;

  /** Whether {@code --spool-dir} was given. */
  public boolean enabled() {
    return spoolDir != null;
  }

  /**
   * The exporter configuration these options describe (nothing overridden without a spool). The
   * library checks the values (the converters only parse them).
   *
   * @throws CommandLine.ParameterException naming the flag of a value the library refuses (exit 2)
   */
  public ExporterConfig exporterConfig() {
    if (spoolDir == null) {
      return ExporterConfig.DEFAULTS;
    }
    try {
      return ExporterConfig.builder()
          .spoolDir(spoolDir)
          .spoolMaxBytes(spoolMaxBytes)
          .spoolMaxAge(spoolMaxAge)
          .spoolSync(spoolSync)
          .build();
    } catch (InvalidSettingException e) {
      String flag = FLAG_OF_SETTING.getOrDefault(e.setting(), e.setting());
      throw new CommandLine.ParameterException(mixee.commandLine(), flag + ": " + e.getMessage());
    }
  }

  /** Sets the spool flags' defaults from {@link SpoolSettings}, written as the flags are. */
  static final class Defaults implements CommandLine.IModelTransformer {
    /** Each flag's default, as the library defines it. */
    static final Map<String, String> DEFAULTS =
        Map.of(
            "--spool-max-bytes",
            ByteSizeConverter.format(SpoolSettings.DEFAULT_MAX_BYTES),
            "--spool-max-age",
            DurationConverter.format(SpoolSettings.DEFAULT_MAX_AGE),
            "--spool-sync",
            SyncConverter.format(SpoolSettings.DEFAULT_SYNC_INTERVAL));

    @Override
    public CommandSpec transform(CommandSpec spec) {
      return CollectorOptions.LibraryDefaults.setDefaults(spec, DEFAULTS);
    }
  }

  /** Reads {@code always} (zero) or a positive duration. */
  static final class SyncConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      if (value.trim().equalsIgnoreCase("always")) {
        return SpoolSettings.SYNC_ALWAYS;
      }
      Duration d = DurationConverter.parse(value);
      if (d.isZero()) {
        throw new CommandLine.TypeConversionException(
            "'"
                + value
                + "' must be 'always' or a positive duration (examples: always, 1s, 500ms)");
      }
      return d;
    }

    static String format(Duration d) {
      return d.isZero() ? "always" : DurationConverter.format(d);
    }
  }

  /**
   * Reads sizes written {@code 512MiB}, {@code 2GiB}, {@code 1048576} (bytes); binary units B, KiB,
   * MiB, GiB, TiB (case-insensitive). Only parses: the smallest size the spool takes is checked by
   * the library ({@link SpoolSettings#requireMaxBytes}).
   */
  static final class ByteSizeConverter implements CommandLine.ITypeConverter<Long> {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*(b|kib|mib|gib|tib)?");
    private static final String[] UNITS = {"TiB", "GiB", "MiB", "KiB"};

    @Override
    public Long convert(String value) {
      Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a size (examples: 512MiB, 2GiB)");
      }
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "b" : m.group(2);
      int shift =
          switch (unit) {
            case "kib" -> 10;
            case "mib" -> 20;
            case "gib" -> 30;
            case "tib" -> 40;
            default -> 0;
          };
      if (n > (Long.MAX_VALUE >> shift)) {
        throw new CommandLine.TypeConversionException("'" + value + "' is too large");
      }
      return n << shift;
    }

    /** Writes {@code bytes} in the largest binary unit that divides it: {@code 1GiB}. */
    static String format(long bytes) {
      for (int i = 0; i < UNITS.length; i++) {
        int shift = 40 - 10 * i;
        if (bytes >= (1L << shift) && bytes % (1L << shift) == 0) {
          return (bytes >> shift) + UNITS[i];
        }
      }
      return Long.toString(bytes);
    }
  }
}
