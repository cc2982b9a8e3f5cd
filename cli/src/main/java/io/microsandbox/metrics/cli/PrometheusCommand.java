package io.microsandbox.metrics.cli;

import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.RunningCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code msb-metrics prometheus --listen HOST:PORT}: collects on an interval and serves the latest
 * collection for Prometheus to scrape on {@code /metrics}, with {@code /-/healthy}, {@code
 * /-/ready} and {@code /status}; ships nothing anywhere. SIGINT/SIGTERM/SIGHUP: stop, exit 0.
 */
@Command(
    name = "prometheus",
    mixinStandardHelpOptions = true,
    modelTransformer = CollectorOptions.LibraryDefaults.class,
    description = {
      "Serves per-sandbox metrics for Prometheus to scrape (GET /metrics), with health (/-/healthy),"
          + " readiness (/-/ready) and status (/status) endpoints.",
      ""
    })
final class PrometheusCommand implements Callable<Integer> {

  @Option(
      names = "--resource",
      paramLabel = "KEY=VALUE",
      description = "Resource attribute for target_info (repeatable).")
  List<String> resources = new ArrayList<>();

  @Option(names = "--emit-run-id", description = "Add sandbox_run_id to every sandbox series.")
  boolean emitRunId;

  @Option(names = "--emit-pid", description = "Add sandbox_pid to every sandbox series.")
  boolean emitPid;

  @Mixin ListenOptions listen;

  @Mixin CollectorOptions collector;

  @Spec CommandSpec spec;

  /**
   * Completed to stop the running command; by default SIGINT / SIGTERM / SIGHUP. Replaced by tests.
   */
  CompletableFuture<String> stop;

  @Override
  public Integer call() throws InterruptedException {
    if (!listen.enabled()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--listen HOST:PORT is required (for example --listen :9464)");
    }
    Map<String, String> resource =
        OtelCommand.pairs(spec.commandLine(), resources, "--resource", true);
    MetricsCollector.Builder builder = collector.applyTo(MetricsCollector.builder());
    CompletableFuture<String> stopSignal = stop != null ? stop : UntilSignal.signals();
    try (ListenOptions.Listener listener =
        listen.bind(spec.commandLine(), builder, emitRunId, emitPid, resource)) {
      RunningCollector running = builder.build().start();
      listener.serve(running);
      return UntilSignal.run(running, stopSignal, collector.exportTimeout());
    }
  }
}
