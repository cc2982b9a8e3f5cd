package io.microsandbox.metrics.micrometer.examples;

import io.micrometer.core.instrument.MeterRegistry;
import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.micrometer.MicrosandboxMetrics;

/** The Micrometer example docs/integrations.md quotes (between the markers), run by its test. */
public final class MicrometerExample {
  private MicrometerExample() {}

  /** Publishes the sandboxes of {@code msbHome} into {@code registry}; close() stops both. */
  public static AutoCloseable publish(MeterRegistry registry, String msbHome) {
    // [micrometer-example]
    RunningCollector collector =
        MetricsCollector.builder() // no exporter needed: the registry is the pipeline
            .msbHome(msbHome)
            .build()
            .start();
    MicrosandboxMetrics metrics = MicrosandboxMetrics.builder(collector).build();
    metrics.bindTo(registry); // PrometheusMeterRegistry, OtlpMeterRegistry, Datadog, ...
    return () -> {
      metrics.close(); // removes the meters
      collector.close(); // final drain, bounded wait
    };
    // [/micrometer-example]
  }
}
