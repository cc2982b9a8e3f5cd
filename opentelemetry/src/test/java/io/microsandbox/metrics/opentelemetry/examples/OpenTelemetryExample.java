package io.microsandbox.metrics.opentelemetry.examples;

import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.opentelemetry.MicrosandboxTelemetry;
import io.opentelemetry.api.OpenTelemetry;

/** The OpenTelemetry example docs/integrations.md quotes (between the markers), run by its test. */
public final class OpenTelemetryExample {
  private OpenTelemetryExample() {}

  /**
   * Observes the sandboxes of {@code msbHome} through {@code openTelemetry}; close() stops both.
   */
  public static AutoCloseable observe(OpenTelemetry openTelemetry, String msbHome) {
    // [opentelemetry-example]
    RunningCollector collector =
        MetricsCollector.builder() // no exporter needed: the application's SDK exports
            .msbHome(msbHome)
            .build()
            .start();
    MicrosandboxTelemetry telemetry =
        MicrosandboxTelemetry.builder(openTelemetry, collector) // GlobalOpenTelemetry.get(), ...
            .build();
    return () -> {
      telemetry.close(); // unregisters the instruments
      collector.close();
    };
    // [/opentelemetry-example]
  }
}
