package io.microsandbox.metrics.spring.autoconfigure;

import io.microsandbox.metrics.collector.MetricsCollector;

/**
 * Adjusts the auto-configured collector before it is built: register an exporter of your own, set
 * label limits, plug a source. Every such bean is applied, in {@code @Order}, after the properties.
 */
@FunctionalInterface
public interface MicrosandboxCollectorCustomizer {
  /** Adjusts {@code builder}. */
  void customize(MetricsCollector.Builder builder);
}
