package io.microsandbox.metrics.cli;

import io.microsandbox.metrics.collector.MetricsCollector;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code msb-metrics prometheus --listen HOST:PORT}: collects on an interval and serves the latest
 * collection for Prometheus to scrape on {@code /metrics}, with {@code /-/healthy}, {@code
 * /-/ready} and {@code /status}; ships nothing anywhere. SIGINT/SIGTERM/SIGHUP: stop, exit 0.
 *
 * <p>No {@code --flush-interval}, {@code --max-buffered} or {@code --export-timeout}: the scrape's
 * exporter is handed every collection as it is made, buffers one and cannot time out, so those
 * flags would change nothing.
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

  @Mixin AttributeOptions attributes;

  @Mixin ListenOptions listen;

  @Mixin CollectorOptions collector;

  @Spec CommandSpec spec;

  /**
   * Completed to stop the running command; by default SIGINT / SIGTERM / SIGHUP. Replaced by tests.
   */
  @Nullable CompletableFuture<String> stop;

  @Override
  public Integer call() throws InterruptedException {
    if (!listen.enabled()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--listen HOST:PORT is required (for example --listen :9464)");
    }
    CommandLine cli = spec.commandLine();
    return CollectorRun.run(
        cli,
        collector.applyTo(MetricsCollector.builder()),
        listen,
        attributes.emitRunId(),
        attributes.emitPid(),
        attributes.resource(cli),
        stop != null ? stop : UntilSignal.signals(),
        MetricsCollector.DEFAULT_EXPORT_TIMEOUT,
        running -> {});
  }
}
