package io.microsandbox.metrics.otel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.ExportResult;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExportFailuresTest {

  @Test
  void theBackendsMessageComesFromAStatusBodyOrPrintableText() {
    byte[] status =
        com.google.rpc.Status.newBuilder()
            .setCode(3)
            .setMessage("out of order sample\nfor series x")
            .build()
            .toByteArray();
    assertThat(ExportFailures.backendMessage(status))
        .isEqualTo(": out of order sample for series x");
    assertThat(ExportFailures.backendMessage("upstream timed out".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(": upstream timed out");
    assertThat(ExportFailures.backendMessage(new byte[] {(byte) 0xff, 0x01, 0x02})).isEmpty();
    assertThat(ExportFailures.backendMessage(new byte[0])).isEmpty();
    assertThat(ExportFailures.backendMessage(null)).isEmpty();
    assertThat(ExportFailures.backendMessage("x".repeat(1000).getBytes(StandardCharsets.UTF_8)))
        .hasSizeLessThan(220);
  }

  @Test
  void refusedCredentialsAreRetriedWithAnErrorNamingTheHeaderFlag() {
    io.opentelemetry.sdk.common.export.HttpResponse unauthorized =
        new io.opentelemetry.sdk.common.export.HttpResponse() {
          @Override
          public int getStatusCode() {
            return 401;
          }

          @Override
          public String getStatusMessage() {
            return "Unauthorized";
          }

          @Override
          public byte[] getResponseBody() {
            return new byte[0];
          }
        };
    java.io.PrintStream stderr = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    ExportResult r;
    System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      r =
          ExportFailures.classify(
              io.opentelemetry.exporter.internal.FailedExportException.httpFailedWithResponse(
                  unauthorized),
              "https://gateway");
    } finally {
      System.setErr(stderr);
    }
    assertThat(r.kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("ERROR", "--header");
  }

  @Test
  void transportFailuresAreRetryableWithTheirRootCause() {
    ExportResult refused =
        ExportFailures.classify(
            new java.io.IOException("failed", new ConnectException("Connection refused")), "e");
    assertThat(refused.kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
    assertThat(refused.message()).startsWith("connection refused: Connection refused");
    assertThat(ExportFailures.classify(new InterruptedIOException("timeout"), "e").message())
        .startsWith("timed out");
    assertThat(
            ExportFailures.classify(
                    new java.net.http.HttpTimeoutException("request timed out"), "e")
                .message())
        .startsWith("timed out");
    assertThat(ExportFailures.classify(null, "e").kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
  }
}
