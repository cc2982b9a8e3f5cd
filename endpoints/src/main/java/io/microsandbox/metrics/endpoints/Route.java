package io.microsandbox.metrics.endpoints;

import org.jspecify.annotations.Nullable;

/**
 * A GET route added to {@link Endpoints} (for example {@code /metrics} answered by a Prometheus
 * exporter). Called on a server thread; must not block for long.
 */
@FunctionalInterface
public interface Route {
  /**
   * Answers a GET.
   *
   * @param accept the request's {@code Accept} header, or null
   * @return the answer
   */
  Response get(@Nullable String accept);
}
