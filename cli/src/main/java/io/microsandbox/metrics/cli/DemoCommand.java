package io.microsandbox.metrics.cli;

import io.microsandbox.metrics.collector.MetricsExporter;
import io.microsandbox.metrics.simulator.DemoRegistry;
import io.microsandbox.metrics.stdout.StdoutExporter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code msb-metrics demo}: a simulated microsandbox (temporary {@code MSB_HOME}, a real
 * shared-memory registry written through the registry writer, a catalog with labels) read by the
 * real reader and collector and shipped to stdout, or over OTLP when {@code --endpoint} is given.
 *
 * <p>The OTLP and collector flags are {@code otel}'s own (its option classes are mixed in, not
 * redeclared); two differ for the demo: {@code --endpoint} is optional (absent: stdout) and {@code
 * --flush-interval} defaults to 1 s so that output appears at once. There is no {@code --msb-home}:
 * the demo's home is a temporary one of its own.
 */
@Command(
    name = "demo",
    description = {
      "Runs a simulated microsandbox and ships its metrics: stdout by default, OTLP with"
          + " --endpoint.",
      "",
      "N sandboxes (a temporary MSB_HOME, a real shared-memory registry and a catalog with labels)"
          + " with changing CPU, memory, disk, network and writable-filesystem use. Every minute"
          + " one exits cleanly and restarts in a fresh slot (counters from zero); after 30 s the"
          + " last one's runtime is killed with SIGKILL, leaving its slot active with a dead pid,"
          + " which the reader treats as stale. Runs until Ctrl-C or --duration; removes its shared"
          + " memory and temporary files on every exit.",
      ""
    },
    modelTransformer = DemoCommand.DemoDefaults.class)
final class DemoCommand implements Callable<Integer> {
  private static final Logger logger = LoggerFactory.getLogger(DemoCommand.class);

  @Option(
      names = "--sandboxes",
      paramLabel = "N",
      converter = CollectorOptions.PositiveIntConverter.class,
      defaultValue = "5",
      description = "How many simulated sandboxes (default: ${DEFAULT-VALUE}).")
  int sandboxes;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      converter = DurationConverter.Positive.class,
      description = "Stop after this long (default: run until Ctrl-C).")
  @Nullable Duration duration;

  /** {@code otel}'s flags and, through it, the collector options. */
  @Mixin OtelCommand otel;

  @Spec CommandSpec spec;

  /**
   * Completed to stop the demo; by default SIGINT / SIGTERM / SIGHUP (and --duration). For tests.
   */
  @Nullable CompletableFuture<String> stop;

  /** The simulation of the latest run, for tests to check that it left nothing behind. */
  volatile @Nullable DemoRegistry simulation;

  @Override
  public Integer call() throws Exception {
    CollectorOptions collector = otel.collector;
    // flags are checked before anything is created
    CompletableFuture<String> stopSignal = stop != null ? stop : UntilSignal.signals();
    MetricsExporter exporter =
        otel.endpoint != null
            ? otel.exporter()
            : StdoutCommand.printer(spec.commandLine(), TextOrJson.TEXT, stopSignal);

    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "msb-demo-runtime");
              t.setDaemon(true);
              return t;
            });
    DemoRegistry demo = DemoRegistry.start(sandboxes, System.currentTimeMillis());
    simulation = demo;
    // Ctrl-C is handled below; the hook covers every other way out (an error, System.exit)
    Thread cleanup = new Thread(demo::close, "msb-demo-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      Duration limit = duration;
      if (limit != null) {
        ticker.schedule(
            () -> stopSignal.complete("--duration " + DurationConverter.format(limit) + " elapsed"),
            limit.toMillis(),
            TimeUnit.MILLISECONDS);
      }
      collector.home.path = demo.msbHome().toString();
      // on stderr whatever the log level: the home to watch from another terminal, with a
      // command that works as typed there (the launcher's path unless it is on the PATH)
      spec.commandLine()
          .getErr()
          .printf(
              "demo: MSB_HOME=%s (watch it: %s top --msb-home %s)%n",
              demo.msbHome(),
              LauncherCommand.current(),
              LauncherCommand.quote(demo.msbHome().toString()));
      spec.commandLine().getErr().flush();
      int exit =
          otel.run(
              exporter,
              stopSignal,
              running -> {
                // microsandbox's runtimes sample about once a second; the simulated ones do it
                // between two collections, so that a scan never meets a slot mid-write (in one
                // JVM on a busy host a writer paused mid-write outlasts the reader's spins, and
                // the slot is skipped with a warning)
                ticker.scheduleAtFixedRate(
                    () -> tick(demo),
                    sampleOffset(collector.collectInterval()).toMillis(),
                    SAMPLE_INTERVAL.toMillis(),
                    TimeUnit.MILLISECONDS);
                logger.info(
                    "demo: {} simulated sandboxes under MSB_HOME={} (registry {}), shipping to {}; {}",
                    sandboxes,
                    demo.msbHome(),
                    demo.registryName(),
                    otel.endpoint != null ? otel.endpoint : "stdout",
                    duration != null
                        ? "stopping after " + DurationConverter.format(duration)
                        : "Ctrl-C to stop");
              });
      // what was not printed is lost: exit 1, as stdout does
      return exporter instanceof StdoutExporter && ((StdoutExporter) exporter).outputFailed()
          ? 1
          : exit;
    } finally {
      ticker.shutdownNow();
      demo.close();
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running or has run: the registry is (being) removed either way
      }
    }
  }

  /** How often each simulated runtime writes a sample, as microsandbox's do. */
  static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(1);

  /**
   * When the simulated runtimes write, after the collector started: half a period between two
   * collections, so that writes and scans (both at a fixed rate) never meet while the collect
   * interval divides the sample interval or is a multiple of it.
   */
  static Duration sampleOffset(Duration collectInterval) {
    Duration period =
        collectInterval.compareTo(SAMPLE_INTERVAL) < 0 ? collectInterval : SAMPLE_INTERVAL;
    return period.dividedBy(2);
  }

  private static void tick(DemoRegistry demo) {
    try {
      demo.tick(System.currentTimeMillis());
    } catch (RuntimeException e) {
      // an exception would cancel the periodic task and freeze every sandbox
      logger.warn("demo: simulated runtime tick failed: {}", e.toString());
    }
  }

  /**
   * The demo's departures from {@code otel}'s options: {@code --endpoint} optional (stdout when
   * absent), a 1 s default flush so that the first lines appear within two seconds, and no {@code
   * --msb-home}.
   */
  static final class DemoDefaults implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      new OtelCommand.OtelDefaults().transform(spec);
      replace(
          spec,
          "--endpoint",
          b ->
              b.required(false)
                  .description(
                      "Ship over OTLP to this endpoint (see otel --help); absent: print to"
                          + " stdout."));
      replace(
          spec,
          "--flush-interval",
          b ->
              b.defaultValue("1s")
                  .description(
                      "How often buffered collections are exported (default: ${DEFAULT-VALUE} for"
                          + " the demo)."));
      // the demo's home is a temporary one of its own
      spec.remove(spec.findOption("--msb-home"));
      return spec;
    }

    private static void replace(
        CommandSpec spec, String name, UnaryOperator<OptionSpec.Builder> change) {
      OptionSpec original = spec.findOption(name);
      if (original == null) {
        throw new IllegalStateException("demo: option " + name + " is missing from otel");
      }
      spec.remove(original);
      spec.addOption(change.apply(original.toBuilder()).build());
    }
  }
}
