package io.microsandbox.metrics.cli;

import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.endpoints.EndpointServer;
import io.microsandbox.metrics.endpoints.Endpoints;
import io.microsandbox.metrics.prometheus.PrometheusExporter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --listen HOST:PORT} and the Prometheus scrape's own flag, shared by {@code otel}, {@code
 * stdout}, {@code demo} and {@code prometheus}: serves {@code /metrics} (a {@link
 * PrometheusExporter} registered next to the command's own exporter), {@code /-/healthy}, {@code
 * /-/ready} and {@code /status}. Mix in with {@code @Mixin ListenOptions listen;}.
 *
 * <pre>{@code
 * ListenOptions.Listener l = listen.bind(spec, builder, runId, pid, resource); // before start: port in use = exit 2
 * RunningCollector running = builder.build().start();
 * try (l) { l.serve(running); ... }
 * }</pre>
 */
public final class ListenOptions {
  /** The host {@code --listen :PORT} (or a bare port) binds: loopback only. */
  static final String DEFAULT_HOST = "127.0.0.1";

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description =
          "Serve /metrics (Prometheus), /-/healthy, /-/ready and /status on this address."
              + " A bare PORT or :PORT listens on "
              + DEFAULT_HOST
              + " only; all interfaces only when asked (0.0.0.0:PORT or [::]:PORT).")
  @Nullable String listen;

  @Option(
      names = "--sample-timestamps",
      description =
          "Stamp each scraped sandbox sample with its own sample time (default: none, the scrape"
              + " time; with timestamps Prometheus marks a stopped sandbox stale only after its"
              + " lookback window unless track_timestamps_staleness is set).")
  boolean sampleTimestamps;

  /** Whether {@code --listen} was given. */
  boolean enabled() {
    return listen != null;
  }

  /**
   * Parses {@code --listen}, binds it and registers a Prometheus exporter on {@code builder};
   * nothing is served until {@link Listener#serve}. Does nothing without {@code --listen}.
   *
   * @throws CommandLine.ParameterException naming {@code --listen} when the value is malformed or
   *     the address is in use (exit code 2)
   */
  Listener bind(
      CommandLine cli,
      MetricsCollector.Builder builder,
      boolean emitRunId,
      boolean emitPid,
      Map<String, String> resource) {
    if (listen == null) {
      return new Listener(null, null);
    }
    InetSocketAddress address = parse(cli, listen);
    EndpointServer server;
    try {
      server =
          EndpointServer.bind(
              address,
              EndpointServer.DEFAULT_REQUEST_TIMEOUT,
              EndpointServer.DEFAULT_CONNECTION_TIMEOUT);
    } catch (IOException e) {
      throw new CommandLine.ParameterException(
          cli, "--listen: cannot listen on " + listen + ": " + e.getMessage());
    }
    PrometheusExporter.Builder b =
        PrometheusExporter.builder()
            .emitRunId(emitRunId)
            .emitPid(emitPid)
            .sampleTimestamps(sampleTimestamps);
    resource.forEach(b::resourceAttribute);
    PrometheusExporter prometheus = b.build();
    builder.register(prometheus, PrometheusExporter.exporterConfig());
    return new Listener(server, prometheus);
  }

  /** {@code HOST:PORT}, {@code :PORT}, {@code PORT} or {@code [IPv6]:PORT}. */
  static InetSocketAddress parse(CommandLine cli, String value) {
    String host = DEFAULT_HOST;
    String port = value;
    int colon = value.lastIndexOf(':');
    if (colon >= 0) {
      host = value.substring(0, colon);
      port = value.substring(colon + 1);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      if (host.isEmpty()) {
        host = DEFAULT_HOST;
      }
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      p = -1;
    }
    if (p < 0 || p > 65535) {
      throw new CommandLine.ParameterException(
          cli, "--listen: expected HOST:PORT with a port 0-65535, got '" + value + "'");
    }
    InetSocketAddress a = new InetSocketAddress(host, p);
    if (a.isUnresolved()) {
      throw new CommandLine.ParameterException(
          cli, "--listen: unknown host '" + host + "' in '" + value + "'");
    }
    return a;
  }

  /** The bound server and its Prometheus exporter; both null without {@code --listen}. */
  static final class Listener implements AutoCloseable {
    private final @Nullable EndpointServer server;
    private final @Nullable PrometheusExporter prometheus;

    Listener(@Nullable EndpointServer server, @Nullable PrometheusExporter prometheus) {
      this.server = server;
      this.prometheus = prometheus;
    }

    /** Starts answering for {@code running}; does nothing without {@code --listen}. */
    void serve(RunningCollector running) {
      EndpointServer server = this.server;
      PrometheusExporter prometheus = this.prometheus;
      if (server == null || prometheus == null) { // both or neither
        return;
      }
      server.serve(Endpoints.builder(running).metrics(prometheus).build());
    }

    @Override
    public void close() {
      if (server != null) {
        server.close();
      }
    }
  }
}
