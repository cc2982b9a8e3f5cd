package io.microsandbox.metrics.spring.autoconfigure;

import io.microsandbox.metrics.collector.ExporterConfig;
import io.microsandbox.metrics.collector.InvalidSettingException;
import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.otel.OtlpExporter;
import io.microsandbox.metrics.otel.OtlpExporterBuilder;
import io.microsandbox.metrics.otel.OtlpProtocol;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/** Registers the OTLP exporter; loaded only when msb-metrics-exporter-otel is on the class path. */
final class OtlpWiring {
  private OtlpWiring() {}

  static void register(MetricsCollector.Builder b, MicrosandboxMetricsProperties.Otlp p) {
    OtlpExporterBuilder otlp =
        OtlpExporter.builder()
            .endpoint(Objects.requireNonNull(p.getEndpoint(), "endpoint"))
            .protocol(protocol(p.getProtocol()))
            .headers(p.getHeaders());
    ExporterConfig.Builder config = ExporterConfig.builder();
    Path spool = p.getSpoolDir();
    if (spool != null) {
      config.spoolDir(spool);
    }
    b.register(otlp.build(), config.build());
  }

  /** The OTEL_EXPORTER_OTLP_PROTOCOL spelling: grpc or http/protobuf. */
  static OtlpProtocol protocol(String value) {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "grpc":
        return OtlpProtocol.GRPC;
      case "http/protobuf":
      case "http":
        return OtlpProtocol.HTTP_PROTOBUF;
      default:
        throw new InvalidSettingException(
            "microsandbox.metrics.otlp.protocol",
            "microsandbox.metrics.otlp.protocol must be grpc or http/protobuf, got '"
                + value
                + "'");
    }
  }
}
