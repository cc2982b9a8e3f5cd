package io.microsandbox.metrics.otel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.ExportResult;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
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
    SendResult unauthorized =
        SendResult.answered(SendResult.Protocol.HTTP, 401, "", Optional.empty(), Optional.empty());
    java.io.PrintStream stderr = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    ExportResult r;
    System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      r = ExportFailures.classify(unauthorized, "https://gateway");
    } finally {
      System.setErr(stderr);
    }
    assertThat(r.kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("ERROR", "--header");
  }

  @Test
  void aRequestRefusedAsTooLargeIsRejectedNotRetriedForever() {
    assertThat(
            ExportFailures.classify(
                    SendResult.answered(
                        SendResult.Protocol.HTTP, 413, "", Optional.empty(), Optional.empty()),
                    "e")
                .kind())
        .isEqualTo(ExportResult.Kind.REJECTED);
    ExportResult grpcTooLarge =
        ExportFailures.classify(
            SendResult.answered(
                SendResult.Protocol.GRPC,
                SendResult.GRPC_RESOURCE_EXHAUSTED,
                "grpc: received message larger than max (5000000 vs. 4194304)",
                Optional.empty(),
                Optional.empty()),
            "e");
    assertThat(grpcTooLarge.kind()).isEqualTo(ExportResult.Kind.REJECTED);
    assertThat(grpcTooLarge.message()).contains("RESOURCE_EXHAUSTED", "too large");
    ExportResult quota =
        ExportFailures.classify(
            SendResult.answered(
                SendResult.Protocol.GRPC,
                SendResult.GRPC_RESOURCE_EXHAUSTED,
                "ingestion rate limit exceeded",
                Optional.empty(),
                Optional.empty()),
            "e");
    assertThat(quota.kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
  }

  @Test
  void transportFailuresAreRetryableWithTheirRootCause() {
    ExportResult refused =
        ExportFailures.classify(
            failed(new java.io.IOException("failed", new ConnectException("Connection refused"))),
            "e");
    assertThat(refused.kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
    assertThat(refused.message()).startsWith("connection refused: Connection refused");
    assertThat(
            ExportFailures.classify(failed(new InterruptedIOException("timeout")), "e").message())
        .startsWith("timed out");
    assertThat(
            ExportFailures.classify(
                    failed(new java.net.http.HttpTimeoutException("request timed out")), "e")
                .message())
        .startsWith("timed out");
  }

  private static SendResult failed(Throwable t) {
    return SendResult.failed(SendResult.Protocol.GRPC, t);
  }
}
