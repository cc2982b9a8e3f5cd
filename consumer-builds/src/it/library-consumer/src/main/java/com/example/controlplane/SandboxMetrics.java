package com.example.controlplane;

import io.microsandbox.metrics.catalog.CatalogMetadataSource;
import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.endpoints.EndpointServer;
import io.microsandbox.metrics.endpoints.Endpoints;
import io.microsandbox.metrics.otel.OtlpExporter;
import io.microsandbox.metrics.prometheus.PrometheusExporter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * A control plane's sandbox metrics: every sandbox of a microsandbox home shipped over OTLP, the
 * same served as Prometheus {@code /metrics} with the health and status endpoints. The code between
 * the markers is the README's library example (a test in the msb-metrics build keeps them equal).
 */
public final class SandboxMetrics implements AutoCloseable {
  private final RunningCollector collector;
  private final EndpointServer server;

  private SandboxMetrics(RunningCollector collector, EndpointServer server) {
    this.collector = collector;
    this.server = server;
  }

  /** Starts collecting; OTLP/gRPC to {@code otlpEndpoint}, {@code /metrics} on {@code address}. */
  // complete-example:start
  public static SandboxMetrics start(Path msbHome, String otlpEndpoint, InetSocketAddress address)
      throws IOException {
    // library-example:start
    PrometheusExporter prometheus = PrometheusExporter.builder().build();
    RunningCollector collector =
        MetricsCollector.builder()
            .msbHome(msbHome.toString())
            // labels and allocations from microsandbox's catalog
            .metadataSource(CatalogMetadataSource.builder().msbHome(msbHome).build())
            .register(OtlpExporter.builder().endpoint(otlpEndpoint).build())
            .register(prometheus, PrometheusExporter.exporterConfig())
            .build()
            .start();
    // /metrics, /-/healthy, /-/ready and /status
    EndpointServer server =
        EndpointServer.start(address, Endpoints.builder(collector).metrics(prometheus).build());
    // library-example:end
    return new SandboxMetrics(collector, server);
  }

  /** Stops serving, then drains the buffers into the exporters and stops them. */
  @Override
  public void close() {
    server.close(); // stop serving first
    collector.close(); // final drain into each exporter, then their shutdown (bounded)
  }

  // complete-example:end

  /** The running collector: {@code flush()}, {@code status()}. */
  public RunningCollector collector() {
    return collector;
  }

  /** Where {@code /metrics} is served. */
  public InetSocketAddress address() {
    return server.address();
  }
}
