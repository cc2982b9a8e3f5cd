package io.microsandbox.metrics.otel.bench;

import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.ExportResult;
import io.microsandbox.metrics.otel.OtlpExporter;
import io.microsandbox.metrics.otel.OtlpExporterBuilder;
import io.microsandbox.metrics.otel.OtlpProtocol;
import io.microsandbox.metrics.otel.internal.BatchEncoder;
import io.microsandbox.metrics.otel.internal.GrpcTransport;
import io.microsandbox.metrics.otel.internal.HttpTransport;
import io.microsandbox.metrics.otel.internal.OtlpTransport;
import io.microsandbox.metrics.otel.internal.Sample;
import io.microsandbox.metrics.otel.internal.SendResult;
import io.microsandbox.metrics.otel.internal.TelemetrySeries;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.internal.otlp.metrics.LowAllocationMetricsRequestMarshaler;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The export path before the project's encoder, kept runnable for side-by-side benchmarks: samples
 * split on estimated sizes, SDK {@code MetricData} per request, the SDK's low-allocation marshaler
 * (as {@code MemoryMode.REUSABLE_DATA} used it) into a reused buffer, then the same transport as
 * the exporter.
 */
final class SdkPath implements AutoCloseable {
  // room the old exporter kept in a request for the resource, scope and telemetry series
  private static final long TELEMETRY_BYTES = 16 * 1024;

  private final BatchEncoder encoder;
  private final TelemetrySeries telemetry;
  private final LowAllocationMetricsRequestMarshaler marshaler =
      new LowAllocationMetricsRequestMarshaler();
  private final Body body = new Body();
  private final OtlpTransport transport;
  private final long maxRequestBytes;

  SdkPath(String endpoint, OtlpProtocol protocol, long maxRequestBytes) {
    Resource resource =
        Resource.create(Attributes.builder().put("service.name", "microsandbox").build());
    InstrumentationScopeInfo scope =
        InstrumentationScopeInfo.builder(OtlpExporter.SCOPE_NAME).setVersion("bench").build();
    this.encoder = new BatchEncoder(resource, scope, false, false);
    this.telemetry = new TelemetrySeries(resource, scope, 0);
    this.maxRequestBytes =
        maxRequestBytes > 0 ? maxRequestBytes : OtlpExporterBuilder.DEFAULT_MAX_REQUEST_BYTES;
    Duration timeout = Duration.ofSeconds(30);
    this.transport =
        protocol == OtlpProtocol.GRPC
            ? new GrpcTransport(URI.create(endpoint), Map.of(), false, timeout, timeout, null, null)
            : new HttpTransport(URI.create(endpoint), Map.of(), false, timeout, timeout, null);
  }

  ExportResult export(ExportBatch batch) throws InterruptedException, IOException {
    List<List<Sample>> requests =
        Sample.split(Sample.of(batch, 1), maxRequestBytes - TELEMETRY_BYTES);
    long sent = 0;
    for (int i = 0; i < requests.size(); i++) {
      List<MetricData> metrics = new ArrayList<>(encoder.encode(requests.get(i)));
      if (i == 0) {
        metrics.addAll(telemetry.encode(batch.telemetry(), System.currentTimeMillis() * 1_000_000));
      }
      marshaler.initialize(metrics);
      body.reset();
      marshaler.writeBinaryTo(body);
      marshaler.reset();
      SendResult r = transport.send(body.array(), body.size());
      if (!r.isAccepted()) {
        return ExportResult.retryable(r.statusName());
      }
      for (MetricData m : metrics) {
        sent += m.getData().getPoints().size();
      }
    }
    encoder.endFlush();
    return ExportResult.success(sent);
  }

  @Override
  public void close() {
    transport.close();
  }

  /** A reused request buffer. */
  private static final class Body extends ByteArrayOutputStream {
    Body() {
      super(4 << 20);
    }

    byte[] array() {
      return buf;
    }
  }
}
