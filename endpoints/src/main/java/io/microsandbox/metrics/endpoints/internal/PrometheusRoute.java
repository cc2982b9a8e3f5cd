package io.microsandbox.metrics.endpoints.internal;

import io.microsandbox.metrics.endpoints.Response;
import io.microsandbox.metrics.endpoints.Route;
import io.microsandbox.metrics.prometheus.PrometheusExporter;
import io.microsandbox.metrics.prometheus.Scrape;
import java.util.function.BooleanSupplier;

/**
 * A {@link PrometheusExporter}'s scrape as a {@link Route}. Kept apart from {@code Endpoints} so
 * that the exporter's classes are loaded only by an embedder who mounts one (the dependency is
 * optional).
 */
public final class PrometheusRoute {
  private PrometheusRoute() {}

  /** The route answering with {@code prometheus}'s scrape in the format the client accepts. */
  public static Route of(PrometheusExporter prometheus) {
    return accept -> {
      Scrape s = prometheus.scrape(accept);
      return new Response(200, s.contentType(), s.body());
    };
  }

  /** Whether {@code prometheus} holds its first collection. */
  public static BooleanSupplier hasCollection(PrometheusExporter prometheus) {
    return prometheus::hasCollection;
  }
}
