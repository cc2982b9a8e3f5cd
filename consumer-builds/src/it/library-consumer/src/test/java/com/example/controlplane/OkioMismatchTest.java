package com.example.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microsandbox.metrics.collector.ExporterFlush;
import io.microsandbox.metrics.collector.ExporterStatus;
import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.otel.OtlpExporter;
import io.microsandbox.metrics.otel.testing.GrpcOtlpReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OkHttp 5 beside Okio 3.6.0 (the okio-mismatch build): the gRPC transport fails with a
 * LinkageError, and the exporter stops for good instead of retrying forever, with one ERROR that
 * names Okio, the version found and the version needed, the same in status().
 */
class OkioMismatchTest {
  @TempDir Path msbHome;

  @Test
  void theExporterStopsForGoodWithOneErrorNamingOkio() throws Exception {
    try (ShmRegistry registry = new ShmRegistry(msbHome);
        GrpcOtlpReceiver receiver = GrpcOtlpReceiver.start(null, false)) {
      RunningCollector collector =
          MetricsCollector.builder()
              .msbHome(msbHome.toString())
              .register(OtlpExporter.builder().endpoint(receiver.endpoint()).build())
              .build()
              .start();
      try {
        ShmRegistry.awaitFirstCollection(collector);
        ExporterFlush first = collector.flush().get(30, TimeUnit.SECONDS).results().get("otlp");
        assertEquals(ExporterFlush.State.STOPPED, first.state(), first.toString());
        assertTrue(first.result().orElseThrow().isFatal(), first.toString());
        ExporterFlush again = collector.flush().get(30, TimeUnit.SECONDS).results().get("otlp");
        assertEquals(
            ExporterFlush.State.STOPPED, again.state(), "a stopped exporter is not tried again");

        ExporterStatus otlp = collector.status().exporters().get(0);
        String error = otlp.lastError().orElseThrow();
        assertTrue(error.contains("stopped for good"), error);
        assertTrue(error.contains("Okio 3.6.0 (okio-jvm-3.6.0.jar) is on the class path"), error);
        assertTrue(error.contains("needs Okio 3.18.1"), error);
        assertTrue(otlp.nextAttemptAt().isEmpty(), otlp.toString());
        assertEquals(0, otlp.exportsSuccess());
      } finally {
        collector.close();
      }
      assertEquals(List.of(), receiver.received(), "nothing reached the backend");
    }
    List<String> errors =
        Files.readAllLines(Path.of("target", "application.log")).stream()
            .filter(line -> line.contains("ERROR"))
            .collect(Collectors.toList());
    assertEquals(1, errors.size(), "one ERROR: " + errors);
    assertTrue(errors.get(0).contains("Okio 3.6.0"), errors.get(0));
  }
}
