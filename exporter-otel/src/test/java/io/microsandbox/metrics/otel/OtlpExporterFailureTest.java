package io.microsandbox.metrics.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.microsandbox.metrics.collector.ExportResult;
import io.microsandbox.metrics.otel.testing.GrpcOtlpReceiver;
import io.microsandbox.metrics.otel.testing.HttpOtlpReceiver;
import io.microsandbox.metrics.otel.testing.OtlpTestReceiver;
import io.microsandbox.metrics.otel.testing.ReceivedRequest;
import io.microsandbox.metrics.series.CollectorSeries;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** How backend failures map to the worker's outcomes, with the SDK's own retry switched off. */
@Timeout(30)
class OtlpExporterFailureTest {

  @ParameterizedTest
  @EnumSource(OtlpProtocol.class)
  void retryableFailureIsOneRequestThenRetryable(OtlpProtocol protocol) throws Exception {
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start(protocol, null, false)) {
      receiver.failNextRetryable(1);
      OtlpExporter exporter = exporter(receiver, protocol).build();
      try {
        ExportResult first =
            exporter.export(OtlpExporterWireTest.TestBatches.twoCollectionsOfTwoSandboxes());
        assertThat(first.kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
        assertThat(first.message())
            .contains(protocol == OtlpProtocol.GRPC ? "UNAVAILABLE" : "HTTP 503");
        // the SDK exporter did not retry underneath: exactly one request reached the backend
        assertThat(receiver.received()).hasSize(1);

        ExportResult second =
            exporter.export(OtlpExporterWireTest.TestBatches.twoCollectionsOfTwoSandboxes());
        assertThat(second.kind()).isEqualTo(ExportResult.Kind.SUCCESS);
        assertThat(receiver.received()).hasSize(2);
      } finally {
        exporter.shutdown();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(OtlpProtocol.class)
  void malformedDataIsRejectedNotRetried(OtlpProtocol protocol) throws Exception {
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start(protocol, null, false)) {
      receiver.failNextRejected(1);
      OtlpExporter exporter = exporter(receiver, protocol).build();
      try {
        ExportResult r =
            exporter.export(OtlpExporterWireTest.TestBatches.twoCollectionsOfTwoSandboxes());
        assertThat(r.kind()).isEqualTo(ExportResult.Kind.REJECTED);
        assertThat(r.message())
            .contains(protocol == OtlpProtocol.GRPC ? "INVALID_ARGUMENT" : "HTTP 400");
        assertThat(receiver.received()).hasSize(1);
      } finally {
        exporter.shutdown();
      }
    }
  }

  @ParameterizedTest
  @CsvSource({
    "429, RETRYABLE",
    "502, RETRYABLE",
    "504, RETRYABLE",
    "401, RETRYABLE",
    "403, RETRYABLE",
    "404, RETRYABLE",
    "413, REJECTED",
    "400, REJECTED"
  })
  void httpStatusMapping(int status, ExportResult.Kind expected) throws Exception {
    try (HttpOtlpReceiver receiver = HttpOtlpReceiver.start(null, false)) {
      receiver.failNext(1, status);
      OtlpExporter exporter = exporter(receiver, OtlpProtocol.HTTP_PROTOBUF).build();
      try {
        ExportResult r =
            exporter.export(OtlpExporterWireTest.TestBatches.twoCollectionsOfTwoSandboxes());
        assertThat(r.kind()).isEqualTo(expected);
        assertThat(r.message()).contains("HTTP " + status);
        // the backend's own explanation (google.rpc.Status message) is in the outcome
        assertThat(r.message()).contains("scripted by the test: " + status);
        assertThat(receiver.received()).hasSize(1);
      } finally {
        exporter.shutdown();
      }
    }
  }

  @ParameterizedTest
  @CsvSource({
    "RESOURCE_EXHAUSTED, RETRYABLE",
    "DEADLINE_EXCEEDED, RETRYABLE",
    "UNAUTHENTICATED, RETRYABLE",
    "PERMISSION_DENIED, RETRYABLE",
    "INTERNAL, RETRYABLE",
    "INVALID_ARGUMENT, REJECTED"
  })
  void grpcStatusMapping(Status.Code code, ExportResult.Kind expected) throws Exception {
    try (GrpcOtlpReceiver receiver = GrpcOtlpReceiver.start(null, false)) {
      receiver.failNext(1, code);
      OtlpExporter exporter = exporter(receiver, OtlpProtocol.GRPC).build();
      try {
        ExportResult r =
            exporter.export(OtlpExporterWireTest.TestBatches.twoCollectionsOfTwoSandboxes());
        assertThat(r.kind()).isEqualTo(expected);
        assertThat(r.message()).contains(code.name());
        assertThat(receiver.received()).hasSize(1);
      } finally {
        exporter.shutdown();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(OtlpProtocol.class)
  void connectionRefusedIsRetryable(OtlpProtocol protocol) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String endpoint =
        "http://127.0.0.1:" + port + (protocol == OtlpProtocol.HTTP_PROTOBUF ? "/v1/metrics" : "");
    OtlpExporter exporter =
        OtlpExporter.builder()
            .endpoint(endpoint)
            .protocol(protocol)
            .requestTimeout(Duration.ofSeconds(5))
            .build();
    try {
      ExportResult r =
          exporter.export(OtlpExporterWireTest.TestBatches.twoCollectionsOfTwoSandboxes());
      assertThat(r.kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
      assertThat(r.message()).startsWith("connection refused").contains("127.0.0.1:" + port);
    } finally {
      exporter.shutdown();
    }
  }

  @ParameterizedTest
  @EnumSource(OtlpProtocol.class)
  void aHangingBackendTimesOutAsRetryable(OtlpProtocol protocol) throws Exception {
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start(protocol, null, false)) {
      receiver.hangNext(1);
      OtlpExporter exporter =
          exporter(receiver, protocol).requestTimeout(Duration.ofMillis(500)).build();
      try {
        ExportResult r =
            exporter.export(OtlpExporterWireTest.TestBatches.twoCollectionsOfTwoSandboxes());
        assertThat(r.kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
      } finally {
        exporter.shutdown();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(OtlpProtocol.class)
  void headersAreSentAndAMissingOneIsRetryable(OtlpProtocol protocol) throws Exception {
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start(protocol, null, false)) {
      receiver.requireHeader("Authorization", "Bearer s3cret");
      OtlpExporter without =
          exporter(receiver, protocol).header("X-Scope-OrgID", "tenant-1").build();
      OtlpExporter with =
          exporter(receiver, protocol)
              .header("authorization", "Bearer wrong")
              .header("Authorization", "Bearer s3cret") // replaces the earlier value, any case
              .header("X-Scope-OrgID", "tenant-1")
              .build();
      try {
        ExportResult denied =
            without.export(OtlpExporterWireTest.TestBatches.twoCollectionsOfTwoSandboxes());
        assertThat(denied.kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
        assertThat(denied.message()).doesNotContain("s3cret");

        ExportResult ok =
            with.export(OtlpExporterWireTest.TestBatches.twoCollectionsOfTwoSandboxes());
        assertThat(ok.kind()).isEqualTo(ExportResult.Kind.SUCCESS);
        ReceivedRequest accepted = receiver.accepted().get(0);
        assertThat(accepted.header("authorization")).isEqualTo("Bearer s3cret");
        assertThat(accepted.header("x-scope-orgid")).isEqualTo("tenant-1");
        // header values never show up in the exporter's description (logged by the CLI)
        assertThat(with.toString()).contains("Authorization=***").doesNotContain("s3cret");
      } finally {
        without.shutdown();
        with.shutdown();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(OtlpProtocol.class)
  void aBigFlushIsSplitInOrderAboveTheSizeLimit(OtlpProtocol protocol) throws Exception {
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start(protocol, null, false)) {
      OtlpExporter exporter = exporter(receiver, protocol).maxRequestBytes(64 * 1024).build();
      try {
        // 300 collections x 2 sandboxes: (14 + 9) points per collection
        ExportResult r = exporter.export(TestBatchesBig.collections(300));
        assertThat(r.kind()).isEqualTo(ExportResult.Kind.SUCCESS);
        List<ReceivedRequest> requests = receiver.received();
        assertThat(requests).hasSizeGreaterThan(4);
        long previous = 0;
        int sandboxPoints = 0;
        for (ReceivedRequest req : requests) {
          // the estimate is an upper bound: no request exceeds the limit
          assertThat(req.bodyBytes()).isLessThanOrEqualTo(64 * 1024);
          int selfPoints =
              req.metrics().stream()
                  .filter(m -> m.getName().startsWith("microsandbox.collector."))
                  .mapToInt(m -> 1)
                  .sum();
          sandboxPoints += req.pointCount() - selfPoints;
          for (var p : req.points("microsandbox.memory.usage")) {
            assertThat(p.getTimeUnixNano()).isGreaterThanOrEqualTo(previous);
            previous = p.getTimeUnixNano();
          }
        }
        assertThat(sandboxPoints).isEqualTo(300 * 23);
        // collector telemetry once per flush, in the first request
        assertThat(requests.get(0).metrics("microsandbox.collector.exports.success")).hasSize(1);
        assertThat(requests.subList(1, requests.size()))
            .allSatisfy(
                req -> assertThat(req.metrics("microsandbox.collector.exports.success")).isEmpty());
        assertThat(r.exportedPoints()).isEqualTo(300 * 23 + CollectorSeries.all().length);
      } finally {
        exporter.shutdown();
      }
    }
  }

  @Test
  void aFailureInALaterPartFailsTheWholeFlush() throws Exception {
    try (HttpOtlpReceiver receiver = HttpOtlpReceiver.start(null, false)) {
      receiver.failNext(1, 200);
      receiver.failNext(1, 503);
      OtlpExporter exporter =
          exporter(receiver, OtlpProtocol.HTTP_PROTOBUF).maxRequestBytes(64 * 1024).build();
      try {
        ExportResult r = exporter.export(TestBatchesBig.collections(300));
        assertThat(r.kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
        assertThat(receiver.received()).hasSize(2);
      } finally {
        exporter.shutdown();
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"429, 7, 7", "503, 120, 120", "503, garbage, -1"})
  void httpRetryAfterIsHonoured(int status, String header, long expectedSeconds) throws Exception {
    try (HttpOtlpReceiver receiver = HttpOtlpReceiver.start(null, false)) {
      receiver.retryAfter(header);
      receiver.failNext(1, status);
      OtlpExporter exporter = exporter(receiver, OtlpProtocol.HTTP_PROTOBUF).build();
      try {
        ExportResult r =
            exporter.export(OtlpExporterWireTest.TestBatches.twoCollectionsOfTwoSandboxes());
        assertThat(r.kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
        if (expectedSeconds < 0) {
          assertThat(r.retryAfter()).isEmpty();
        } else {
          assertThat(r.retryAfter()).contains(Duration.ofSeconds(expectedSeconds));
        }
      } finally {
        exporter.shutdown();
      }
    }
  }

  @Test
  void anHttpPartialSuccessIsReportedWithItsRejectedCount() throws Exception {
    try (HttpOtlpReceiver receiver = HttpOtlpReceiver.start(null, false)) {
      receiver.partialSuccess(3, "3 points out of order");
      OtlpExporter exporter = exporter(receiver, OtlpProtocol.HTTP_PROTOBUF).build();
      try {
        ExportResult r =
            exporter.export(OtlpExporterWireTest.TestBatches.twoCollectionsOfTwoSandboxes());
        assertThat(r.kind()).isEqualTo(ExportResult.Kind.SUCCESS);
        assertThat(r.rejectedPoints()).isEqualTo(3);
        assertThat(r.exportedPoints()).isEqualTo(receiver.received().get(0).pointCount() - 3);
        assertThat(r.message()).contains("rejected 3 points", "3 points out of order");
      } finally {
        exporter.shutdown();
      }
    }
  }

  @Test
  void grpcRetryInfoIsHonouredAndTheMessageDecoded() throws Exception {
    try (GrpcOtlpReceiver receiver = GrpcOtlpReceiver.start(null, false)) {
      receiver.retryDelay(Duration.ofMillis(2500));
      receiver.failNext(1, Status.Code.RESOURCE_EXHAUSTED);
      OtlpExporter exporter = exporter(receiver, OtlpProtocol.GRPC).build();
      try {
        ExportResult r =
            exporter.export(OtlpExporterWireTest.TestBatches.twoCollectionsOfTwoSandboxes());
        assertThat(r.kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
        assertThat(r.retryAfter()).contains(Duration.ofMillis(2500));
        assertThat(r.message()).contains("RESOURCE_EXHAUSTED", "scripted by the test: 100%");
      } finally {
        exporter.shutdown();
      }
    }
  }

  @Test
  void aGrpcPartialSuccessIsReportedWithItsRejectedCount() throws Exception {
    try (GrpcOtlpReceiver receiver = GrpcOtlpReceiver.start(null, false)) {
      receiver.partialSuccess(2, "2 points too old");
      OtlpExporter exporter = exporter(receiver, OtlpProtocol.GRPC).build();
      try {
        ExportResult r =
            exporter.export(OtlpExporterWireTest.TestBatches.twoCollectionsOfTwoSandboxes());
        assertThat(r.kind()).isEqualTo(ExportResult.Kind.SUCCESS);
        assertThat(r.rejectedPoints()).isEqualTo(2);
        assertThat(r.message()).contains("2 points too old");
      } finally {
        exporter.shutdown();
      }
    }
  }

  private static OtlpExporterBuilder exporter(OtlpTestReceiver receiver, OtlpProtocol protocol) {
    return OtlpExporter.builder()
        .endpoint(receiver.endpoint())
        .protocol(protocol)
        .requestTimeout(Duration.ofSeconds(10));
  }

  /** Batches of many collections. */
  static final class TestBatchesBig {
    static io.microsandbox.metrics.collector.ExportBatch collections(int n) {
      List<io.microsandbox.metrics.collector.SnapshotCollection> cs = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        long t = OtlpExporterWireTest.TestBatches.T0 + i * 1000L + 1;
        cs.add(
            io.microsandbox.metrics.collector.SnapshotCollection.of(
                t,
                List.of(
                    OtlpExporterWireTest.TestBatches.full(t, i, i),
                    OtlpExporterWireTest.TestBatches.sparse(t, i))));
      }
      return new io.microsandbox.metrics.collector.ExportBatch(
          cs, 0, io.microsandbox.metrics.collector.CollectorTelemetry.EMPTY);
    }
  }
}
