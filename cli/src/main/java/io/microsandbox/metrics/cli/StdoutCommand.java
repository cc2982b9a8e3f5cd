package io.microsandbox.metrics.cli;

import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.stdout.StdoutExporter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code msb-metrics stdout}: collects on an interval and prints every flush to standard output,
 * one line per sandbox per collection (text, as the Rust {@code msb-metrics}, or JSON lines).
 * SIGINT/SIGTERM/SIGHUP: stop collecting, print everything still buffered, exit 0 (1 if that
 * failed). A closed or failing standard output (the reader of a pipe exited) stops it too: nothing
 * more is printed, exit 1.
 */
@Command(
    name = "stdout",
    mixinStandardHelpOptions = true,
    modelTransformer = StdoutCommand.StdoutDefaults.class,
    description = {
      "Prints per-sandbox metrics to standard output.",
      "",
      "text: <sample time> sandbox=NAME id=ID cpu=VCPUS mem=USED / LIMIT disk_r=.. disk_w=.."
          + " net_rx=.. net_tx=.. uptime=MmSs [label=value...]; cpu=BUSY/ALLOCATEDc (0.80/2c)"
          + " where the catalog knows the sandbox's vCPUs",
      "json: one object per sandbox sample with the keys of `snapshot --format json` plus"
          + " collected_at_ms, cpu_limit (the catalog's vCPUs, or null) and labels;"
          + " memory_limit_bytes is the catalog's memory when known;"
          + " {\"collected_at_ms\": N, \"sandboxes\": 0} for an"
          + " empty collection; {\"dropped_collections\": N} after buffer drops.",
      ""
    })
final class StdoutCommand implements Callable<Integer> {

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text or json (one object per line) (default: ${DEFAULT-VALUE}).")
  TextOrJson format;

  @Mixin CollectorOptions collector;

  @Mixin ExportOptions export;

  @Mixin ListenOptions listen;

  @Spec CommandSpec spec;

  /**
   * Completed to stop the running command; by default SIGINT / SIGTERM / SIGHUP. Replaced by tests.
   */
  @Nullable CompletableFuture<String> stop;

  /** Told the collector once it runs; tests wait on its status instead of sleeping. */
  Consumer<RunningCollector> onStart = running -> {};

  @Override
  public Integer call() throws InterruptedException {
    CompletableFuture<String> stopSignal = stop != null ? stop : UntilSignal.signals();
    StdoutExporter exporter = printer(spec.commandLine(), format, stopSignal);
    MetricsCollector.Builder builder =
        export.applyTo(collector.applyTo(MetricsCollector.builder())).register(exporter);
    int exit =
        CollectorRun.run(
            spec.commandLine(),
            builder,
            listen,
            false,
            false,
            Map.of(),
            stopSignal,
            export.exportTimeout(),
            onStart);
    // what was not printed is lost: exit 1, as a Unix tool whose writes fail (the JVM ignores
    // SIGPIPE, so this is EPIPE, not death by the signal)
    return exporter.outputFailed() ? 1 : exit;
  }

  /**
   * The exporter that prints to the command's standard output in {@code format}; a closed pipe
   * ({@code | head}) or a failing output (a full disk) completes {@code stop}, ending the command
   * as any Unix tool ends. Also the demo's printer.
   */
  static StdoutExporter printer(
      CommandLine cli, TextOrJson format, CompletableFuture<String> stop) {
    return StdoutExporter.builder()
        .format(format == TextOrJson.JSON ? StdoutExporter.Format.JSON : StdoutExporter.Format.TEXT)
        .output(cli.getOut())
        .checkErrorsOf(System.out) // where picocli's writer ends; it swallows write errors
        .onOutputFailure(() -> stop.complete(OUTPUT_CLOSED))
        .build();
  }

  /** Why the command stops when its output goes away. */
  static final String OUTPUT_CLOSED = "standard output closed or failing";

  /**
   * The library's defaults, but a 1 s flush: a command that prints should show its first lines
   * about a second after it starts, not after the 10 s a network exporter batches for.
   */
  static final class StdoutDefaults implements CommandLine.IModelTransformer {
    /** {@code stdout}'s own default flush interval. */
    static final String FLUSH_INTERVAL = "1s";

    @Override
    public CommandSpec transform(CommandSpec spec) {
      new ExportOptions.WithCollectorDefaults().transform(spec);
      return CollectorOptions.LibraryDefaults.setDefaults(
          spec, Map.of("--flush-interval", FLUSH_INTERVAL));
    }
  }
}
