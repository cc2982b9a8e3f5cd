package com.example.controlplane;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.otel.OtlpExporter;
import io.microsandbox.metrics.otel.OtlpProtocol;
import io.microsandbox.metrics.otel.testing.HttpOtlpReceiver;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OTLP over HTTP/protobuf needs no OkHttp: the http-only build leaves it out. */
class HttpOnlyExportTest {
  @TempDir Path msbHome;

  @Test
  void shipsOverHttpProtobuf() throws Exception {
    if ("none".equals(System.getProperty("expected.okhttp"))) {
      assertThrows(ClassNotFoundException.class, () -> Class.forName("okhttp3.OkHttpClient"));
    }
    try (ShmRegistry registry = new ShmRegistry(msbHome);
        HttpOtlpReceiver receiver = HttpOtlpReceiver.start(null, false);
        RunningCollector collector =
            MetricsCollector.builder()
                .msbHome(msbHome.toString())
                .register(
                    OtlpExporter.builder()
                        .protocol(OtlpProtocol.HTTP_PROTOBUF)
                        .endpoint(receiver.endpoint())
                        .build())
                .build()
                .start()) {
      ShmRegistry.awaitFirstCollection(collector);
      collector.flush().get(30, TimeUnit.SECONDS);
      receiver.awaitReceived(1, 30_000);
      assertTrue(receiver.accepted().get(0).pointCount() > 0, "points shipped over HTTP");
    }
  }
}
