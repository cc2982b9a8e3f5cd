package io.microsandbox.metrics.cli;

import io.microsandbox.metrics.collector.MetricsCollector;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The flags of a command whose exporter pushes on its own cadence ({@code stdout}, {@code otel},
 * {@code demo}): how often, how much it buffers, how long one export may take. {@code prometheus}
 * does not offer them: its exporter is handed every collection as it is made and never buffers or
 * times out, so they would mean nothing there. Mix in with {@code @Mixin ExportOptions export;};
 * defaults are the library's, set by {@link Defaults}.
 */
public final class ExportOptions {

  @Option(
      names = "--flush-interval",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How often buffered collections are exported (default: ${DEFAULT-VALUE}).")
  Duration flushInterval;

  @Option(
      names = "--max-buffered",
      paramLabel = "N",
      converter = CollectorOptions.IntConverter.class,
      description =
          "Collections buffered per exporter before the oldest are dropped"
              + " (default: ${DEFAULT-VALUE}).")
  int maxBuffered;

  @Option(
      names = "--export-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Longest one export may take; also bounds the final drain (default: ${DEFAULT-VALUE}).")
  Duration exportTimeout;

  /** The flush interval given (or defaulted). */
  public Duration flushInterval() {
    return flushInterval;
  }

  /** The buffer cap given (or defaulted). */
  public int maxBuffered() {
    return maxBuffered;
  }

  /** The export timeout given (or defaulted). */
  public Duration exportTimeout() {
    return exportTimeout;
  }

  /**
   * Sets these settings on {@code builder}.
   *
   * @return {@code builder}
   */
  public MetricsCollector.Builder applyTo(MetricsCollector.Builder builder) {
    return builder
        .flushInterval(flushInterval)
        .maxBuffered(maxBuffered)
        .exportTimeout(exportTimeout);
  }

  /** Sets these flags' defaults from the library's constants, written as the flags are. */
  static final class Defaults implements CommandLine.IModelTransformer {
    /** Each flag's default, as the library defines it. */
    static final Map<String, String> DEFAULTS =
        Map.of(
            "--flush-interval",
            DurationConverter.format(MetricsCollector.DEFAULT_FLUSH_INTERVAL),
            "--max-buffered",
            Integer.toString(MetricsCollector.DEFAULT_MAX_BUFFERED),
            "--export-timeout",
            DurationConverter.format(MetricsCollector.DEFAULT_EXPORT_TIMEOUT));

    @Override
    public CommandSpec transform(CommandSpec spec) {
      return CollectorOptions.LibraryDefaults.setDefaults(spec, DEFAULTS);
    }
  }

  /** The collector's and these flags' library defaults: the transformer of {@code stdout}. */
  static final class WithCollectorDefaults implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      return new Defaults().transform(new CollectorOptions.LibraryDefaults().transform(spec));
    }
  }
}
