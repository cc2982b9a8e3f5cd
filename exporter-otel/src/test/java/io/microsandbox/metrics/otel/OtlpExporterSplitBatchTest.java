package io.microsandbox.metrics.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.ExportResult;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.otel.testing.OtlpTestReceiver;
import io.microsandbox.metrics.otel.testing.ReceivedRequest;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A batch split into several requests (issue 9, defects 1 and 3): what the backend accepted before
 * a failure is reported, so only the rest is sent again; no request ever exceeds the size limit,
 * whatever one sample's labels.
 */
@Timeout(60)
class OtlpExporterSplitBatchTest {
  private static final long LIMIT = 64 * 1024;
  private static final long T0 = 1_780_000_000_000L;

  /** {@code collections} collections of {@code sandboxes} sandboxes, collection c sampled at c. */
  static ExportBatch batch(
      int collections, int sandboxes, Map<Integer, Map<String, String>> labels) {
    List<SnapshotCollection> out = new ArrayList<>();
    for (int c = 0; c < collections; c++) {
      List<SandboxSnapshot> snapshots = new ArrayList<>();
      for (int id = 1; id <= sandboxes; id++) {
        SandboxSnapshot.Builder b =
            SandboxSnapshot.builder()
                .slot(id - 1)
                .sandboxId(id)
                .name("sandbox-" + id)
                .startedAtMs(T0 - 60_000)
                .sampledAtMs(T0 + c)
                .sampleFlags(SandboxSnapshot.FLAG_CPU | SandboxSnapshot.FLAG_MEMORY);
        for (SampleField f : SampleField.values()) {
          b.value(f, 1000L * id + c);
        }
        snapshots.add(b.build());
      }
      out.add(new SnapshotCollection(T0 + c, snapshots, labels));
    }
    return new ExportBatch(out, 0, CollectorTelemetry.EMPTY);
  }

  private static OtlpExporter exporter(OtlpTestReceiver receiver, OtlpProtocol protocol) {
    return OtlpExporter.builder()
        .endpoint(receiver.endpoint())
        .protocol(protocol)
        .maxRequestBytes(LIMIT)
        .requestTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** Sample times (collections) every point of which is in {@code requests}, per sandbox series. */
  private static Map<Long, Integer> pointsByCollection(List<ReceivedRequest> requests) {
    Map<Long, Integer> n = new java.util.TreeMap<>();
    for (ReceivedRequest r : requests) {
      for (NumberDataPoint p : r.points("microsandbox.memory.usage")) {
        n.merge(p.getTimeUnixNano() / 1_000_000 - T0, 1, Integer::sum);
      }
    }
    return n;
  }

  @ParameterizedTest
  @EnumSource(OtlpProtocol.class)
  void aFailureAfterAcceptedRequestsReportsTheCollectionsTheyCompleted(OtlpProtocol protocol)
      throws Exception {
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start(protocol, null, false)) {
      OtlpExporter exporter = exporter(receiver, protocol);
      try {
        // 5 collections of 100 sandboxes: ~60 KB each, so about one request per collection
        ExportBatch batch = batch(5, 100, Map.of());
        receiver.acceptNext(2);
        receiver.failNextRetryable(1);

        ExportResult r = exporter.export(batch);

        assertThat(r.kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
        List<ReceivedRequest> accepted = receiver.accepted();
        assertThat(accepted).hasSize(2);
        Map<Long, Integer> delivered = pointsByCollection(accepted);
        // every collection reported as accepted is complete in the accepted requests; the next is
        // not
        assertThat(r.acceptedCollections()).isBetween(1, 4);
        for (long c = 0; c < r.acceptedCollections(); c++) {
          assertThat(delivered.get(c)).as("collection " + c).isEqualTo(100);
        }
        assertThat(delivered.getOrDefault((long) r.acceptedCollections(), 0)).isLessThan(100);
        long sandboxPoints =
            accepted.stream()
                .mapToLong(
                    q ->
                        q.metrics().stream()
                            .filter(m -> !m.getName().startsWith("microsandbox.collector."))
                            .mapToLong(
                                m ->
                                    m.hasSum()
                                        ? m.getSum().getDataPointsCount()
                                        : m.getGauge().getDataPointsCount())
                            .sum())
                .sum();
        long telemetryPoints = accepted.get(0).pointCount() - 0L;
        assertThat(r.exportedPoints()).isGreaterThanOrEqualTo(sandboxPoints);
        assertThat(r.exportedPoints()).isLessThanOrEqualTo(sandboxPoints + telemetryPoints);
      } finally {
        exporter.shutdown();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(OtlpProtocol.class)
  void noRequestExceedsTheLimitWhateverOneSandboxsLabels(OtlpProtocol protocol) throws Exception {
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start(protocol, null, false)) {
      OtlpExporter exporter = exporter(receiver, protocol);
      try {
        // one sandbox with a label value far larger than a request, one with many labels
        Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i < 2000; i++) {
          many.put("label" + i, "value-" + i);
        }
        ExportBatch batch =
            batch(2, 3, Map.of(1, Map.of("huge", "x".repeat(6 << 20), "team", "infra"), 2, many));

        ExportResult r = exporter.export(batch);

        assertThat(r.isSuccess()).isTrue();
        List<ReceivedRequest> received = receiver.received();
        assertThat(received).allSatisfy(q -> assertThat(q.bodyBytes()).isLessThanOrEqualTo(LIMIT));
        // every sandbox's points arrive; the oversized ones without the labels that cannot fit
        Set<String> names = new HashSet<>();
        for (ReceivedRequest q : received) {
          for (NumberDataPoint p : q.points("microsandbox.memory.usage")) {
            Map<String, String> a = new java.util.HashMap<>();
            for (KeyValue kv : p.getAttributesList()) {
              a.put(kv.getKey(), kv.getValue().getStringValue());
            }
            names.add(a.get("sandbox.name"));
            if (a.get("sandbox.name").equals("sandbox-1")) {
              assertThat(a).doesNotContainKey("huge").containsEntry("team", "infra");
            }
          }
        }
        assertThat(names).containsExactlyInAnyOrder("sandbox-1", "sandbox-2", "sandbox-3");
      } finally {
        exporter.shutdown();
      }
    }
  }
}
