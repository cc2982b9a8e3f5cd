package io.microsandbox.metrics.otel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The project's OTLP encoder against the SDK's marshaling (the reference): randomised batches
 * encoded both ways, decoded with the official protobuf classes, must be equal.
 *
 * <p>Covered at random: every optional field present or absent, u64 extremes and zeros, sample and
 * start times before the epoch and far in the future, NaN and infinite CPU, unicode names, labels
 * (none, many, unicode, empty values, named like identity attributes), allocations (cpu.limit and
 * the catalog's memory limit, each known or not), run id and pid on and off, dropped collections,
 * empty collections, and size limits small enough to split a batch into many requests (and a
 * collection across requests).
 *
 * <p>Documented differences, normalised before comparing:
 *
 * <ul>
 *   <li>where a split falls: the SDK path splits on estimated sizes, ours on exact sizes and at
 *       collection boundaries when it can, so the points are compared per series across all the
 *       requests of a batch, in order;
 *   <li>nothing else: resource, scope, metric metadata, point attributes (order included), times
 *       and values are compared exactly.
 * </ul>
 */
@Timeout(60)
class OtlpRequestEncoderPropertyTest {
  private static final String SCOPE = "microsandbox-metrics-collector";
  private static final String VERSION = "1.2.3";
  private static final long NOW = 1_780_000_123_456_000_000L;
  private static final long START = 1_779_000_000_000_000_000L;
  private static final long[] U64_EXTREMES = {
    0, 1, 127, 128, Long.MAX_VALUE, Long.MIN_VALUE, -1, -2, 1L << 53, (1L << 53) + 1
  };
  private static final String[] NAMES = {
    "a", "sandbox-1", "ü-sandbox", "沙箱", "emoji-\uD83D\uDE80", "", "x".repeat(300), "tab\tname"
  };

  @Test
  void randomBatchesEncodeAsTheSdkDoes() throws Exception {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int seed = 0; seed < 300; seed++) {
      Random r = new Random(seed);
      boolean runId = r.nextBoolean();
      boolean pid = r.nextBoolean();
      long maxBytes = r.nextInt(4) == 0 ? 32 * 1024 : r.nextBoolean() ? 64 * 1024 : 3 << 20;
      ExportBatch batch = batch(r);
      Map<String, String> resource = new LinkedHashMap<>();
      resource.put("service.name", "microsandbox");
      if (r.nextBoolean()) {
        resource.put("service.instance.id", "host-ü");
      }
      if (r.nextBoolean()) {
        resource.put("deployment.environment", "prod");
      }

      List<ExportMetricsServiceRequest> ours = ours(batch, resource, runId, pid, maxBytes);
      List<ExportMetricsServiceRequest> sdk = sdk(batch, resource, runId, pid);

      String what = "seed " + seed + " (" + batch + ", maxBytes " + maxBytes + ")";
      assertSameSeries(flatten(ours), flatten(sdk), what);
      seen.addAll(flatten(ours).keySet());
      assertThat(header(ours.get(0))).as(what).isEqualTo(header(sdk.get(0)));
      for (int i = 0; i < ours.size(); i++) {
        assertThat(ours.get(i).getSerializedSize()).as(what).isLessThanOrEqualTo((int) maxBytes);
        assertThat(header(ours.get(i))).as(what).isEqualTo(header(sdk.get(0)));
        boolean collector =
            ours.get(i).getResourceMetrics(0).getScopeMetrics(0).getMetricsList().stream()
                .anyMatch(m -> m.getName().startsWith("microsandbox.collector."));
        assertThat(collector).as(what + " request " + i).isEqualTo(i == 0);
      }
    }
    // every series of the catalogue came up (cpu.limit only with a known allocation)
    for (io.microsandbox.metrics.series.SandboxSeries series :
        io.microsandbox.metrics.series.SandboxSeries.all()) {
      assertThat(seen).contains(series.metricName());
    }
  }

  @Test
  void requestsAreFilledUpToTheLimitAndTellWhichCollectionsTheyComplete() throws Exception {
    Random r = new Random(1);
    List<SnapshotCollection> collections = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      List<SandboxSnapshot> s = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        s.add(snapshot(r, i + 1));
      }
      collections.add(new SnapshotCollection(1000L * c, s, Map.of()));
    }
    ExportBatch batch = new ExportBatch(collections, 0, CollectorTelemetry.EMPTY);
    OtlpRequestEncoder encoder = encoder(Map.of("service.name", "m"), false, false, 16 * 1024);
    List<Integer> completed = new ArrayList<>();
    List<Integer> lengths = new ArrayList<>();
    encoder.encode(
        batch,
        NOW,
        req -> {
          lengths.add(req.length());
          completed.add(req.completedCollections());
          return true;
        });
    assertThat(lengths).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(16 * 1024));
    // filled up to the limit (less than the next sample's few KiB short of it)
    assertThat(lengths.subList(0, lengths.size() - 1))
        .allSatisfy(n -> assertThat(n).isGreaterThan(10 * 1024));
    assertThat(completed).isSorted().contains(0, 1, 2).endsWith(3);
    // a collection's last request completes it, the next request starts the next one
    for (int i = 1; i < completed.size(); i++) {
      assertThat(completed.get(i) - completed.get(i - 1)).isBetween(0, 1);
    }
  }

  private static OtlpRequestEncoder encoder(
      Map<String, String> resource, boolean runId, boolean pid, long maxBytes) {
    return new OtlpRequestEncoder(resource, SCOPE, VERSION, runId, pid, maxBytes, START);
  }

  static List<ExportMetricsServiceRequest> ours(
      ExportBatch batch, Map<String, String> resource, boolean runId, boolean pid, long maxBytes)
      throws Exception {
    OtlpRequestEncoder encoder = encoder(resource, runId, pid, maxBytes);
    List<ExportMetricsServiceRequest> out = new ArrayList<>();
    boolean all =
        encoder.encode(
            batch,
            NOW,
            req -> {
              try {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                req.writeTo(b);
                assertThat(b.size()).isEqualTo(req.length());
                out.add(ExportMetricsServiceRequest.parseFrom(b.toByteArray()));
              } catch (java.io.IOException e) {
                throw new AssertionError(e);
              }
              return true;
            });
    assertThat(all).isTrue();
    return out;
  }

  static List<ExportMetricsServiceRequest> sdk(
      ExportBatch batch, Map<String, String> resourceAttributes, boolean runId, boolean pid)
      throws Exception {
    AttributesBuilder a = Attributes.builder();
    resourceAttributes.forEach(a::put);
    Resource resource = Resource.create(a.build());
    InstrumentationScopeInfo scope =
        InstrumentationScopeInfo.builder(SCOPE).setVersion(VERSION).build();
    BatchEncoder encoder = new BatchEncoder(resource, scope, runId, pid);
    TelemetrySeries self = new TelemetrySeries(resource, scope, START);
    List<ExportMetricsServiceRequest> out = new ArrayList<>();
    List<List<Sample>> requests =
        Sample.split(Sample.of(batch, 1 + (runId ? 1 : 0) + (pid ? 1 : 0)), 1 << 20);
    for (int i = 0; i < requests.size(); i++) {
      List<MetricData> metrics = new ArrayList<>(encoder.encode(requests.get(i)));
      if (i == 0) {
        metrics.addAll(self.encode(batch.telemetry(), NOW));
      }
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      MetricsRequestMarshaler.create(metrics).writeBinaryTo(b);
      out.add(ExportMetricsServiceRequest.parseFrom(b.toByteArray()));
    }
    encoder.endFlush();
    return out;
  }

  /** Equal series, reporting the first differing point alone (the lists are long). */
  private static void assertSameSeries(
      Map<String, List<Object>> ours, Map<String, List<Object>> sdk, String what) {
    assertThat(ours.keySet()).as(what).containsExactlyInAnyOrderElementsOf(sdk.keySet());
    for (String name : sdk.keySet()) {
      List<Object> a = ours.get(name);
      List<Object> b = sdk.get(name);
      for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
        assertThat(a.get(i)).as(what + " " + name + " [" + i + "]").isEqualTo(b.get(i));
      }
      assertThat(a.size()).as(what + " " + name).isEqualTo(b.size());
    }
  }

  /** Resource and scope of a request (one of each). */
  private static List<Object> header(ExportMetricsServiceRequest req) {
    assertThat(req.getResourceMetricsCount()).isEqualTo(1);
    ResourceMetrics rm = req.getResourceMetrics(0);
    assertThat(rm.getScopeMetricsCount()).isEqualTo(1);
    ScopeMetrics sm = rm.getScopeMetrics(0);
    return List.of(rm.getResource(), rm.getSchemaUrl(), sm.getScope(), sm.getSchemaUrl());
  }

  /** Per metric name: its metadata (points cleared) and every point, across the requests. */
  private static Map<String, List<Object>> flatten(List<ExportMetricsServiceRequest> requests) {
    Map<String, List<Object>> out = new LinkedHashMap<>();
    for (ExportMetricsServiceRequest req : requests) {
      for (ResourceMetrics rm : req.getResourceMetricsList()) {
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          for (Metric m : sm.getMetricsList()) {
            List<NumberDataPoint> points =
                m.hasSum() ? m.getSum().getDataPointsList() : m.getGauge().getDataPointsList();
            Metric meta =
                m.hasSum()
                    ? m.toBuilder().setSum(m.getSum().toBuilder().clearDataPoints()).build()
                    : m.toBuilder().setGauge(m.getGauge().toBuilder().clearDataPoints()).build();
            List<Object> entry = out.computeIfAbsent(m.getName(), k -> new ArrayList<>());
            if (entry.isEmpty()) {
              entry.add(meta);
            } else {
              assertThat(meta).isEqualTo(entry.get(0));
            }
            entry.addAll(points);
          }
        }
      }
    }
    return out;
  }

  private static ExportBatch batch(Random r) {
    int collections = r.nextInt(5);
    int sandboxes = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(40);
    Map<Integer, Map<String, String>> labels = new HashMap<>();
    Map<Integer, Allocation> allocations = new HashMap<>();
    for (int id = 1; id <= sandboxes; id++) {
      if (r.nextBoolean()) {
        labels.put(id, labels(r));
      }
      if (r.nextBoolean()) {
        // cpu.limit present or absent, the catalog's memory limit over the registry's or not
        allocations.put(
            id,
            new Allocation(
                r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(64),
                r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(1 << 20),
                0,
                0,
                0,
                false));
      }
    }
    List<SnapshotCollection> out = new ArrayList<>();
    for (int c = 0; c < collections; c++) {
      List<SandboxSnapshot> snapshots = new ArrayList<>();
      int n = r.nextInt(5) == 0 ? 0 : sandboxes;
      for (int i = 0; i < n; i++) {
        snapshots.add(snapshot(r, i + 1));
      }
      if (r.nextInt(4) == 0) {
        // a relabelled sandbox mid-batch
        labels.put(1, labels(r));
      }
      out.add(
          new SnapshotCollection(1_780_000_000_000L + c * 1000L, snapshots, labels, allocations));
    }
    CollectorTelemetry t =
        CollectorTelemetry.builder()
            .exportsSuccess(u64(r))
            .exportsFailure(r.nextInt(100))
            .collectionsDropped(u64(r))
            .lastSuccessEpochMs(r.nextBoolean() ? 0 : 1_780_000_000_500L)
            .lastExportDurationNanos(r.nextInt(1_000_000_000))
            .pointsExported(u64(r))
            .pointsRejected(r.nextInt(10))
            .batchesRejected(r.nextInt(3))
            .bufferDepth(r.nextInt(60))
            .lastScanDurationNanos(r.nextInt(10_000_000))
            .slotsSkipped(r.nextInt(5))
            .build();
    return new ExportBatch(out, r.nextInt(3), t);
  }

  private static Map<String, String> labels(Random r) {
    Map<String, String> m = new HashMap<>();
    int n = r.nextInt(8);
    for (int i = 0; i < n; i++) {
      String key =
          switch (r.nextInt(6)) {
            case 0 -> "sandbox.name";
            case 1 -> "sandbox.run_id";
            case 2 -> "clé-" + i;
            default -> "label" + r.nextInt(20);
          };
      String value =
          switch (r.nextInt(4)) {
            case 0 -> "";
            case 1 -> "wert-ä-日本-" + i;
            case 2 -> "v".repeat(r.nextInt(160));
            default -> "v" + r.nextInt(1000);
          };
      m.put(key, value);
    }
    return m;
  }

  static SandboxSnapshot snapshot(Random r, int id) {
    int flags = r.nextInt(1 << 7);
    SandboxSnapshot.Builder b =
        SandboxSnapshot.builder()
            .slot(id - 1)
            .sandboxId(r.nextInt(10) == 0 ? -id : id)
            .runId(r.nextInt(10) == 0 ? Integer.MIN_VALUE : id * 7)
            .pid(r.nextInt(10) == 0 ? Integer.MAX_VALUE : 1000 + id)
            .name(r.nextInt(3) == 0 ? NAMES[r.nextInt(NAMES.length)] : "sandbox-" + id)
            .startedAtMs(times(r))
            .sampledAtMs(times(r))
            .sampleFlags(flags)
            .cpuPercent(cpu(r));
    for (SampleField f : SampleField.values()) {
      b.raw(f, u64(r));
    }
    return b.build();
  }

  private static long times(Random r) {
    switch (r.nextInt(6)) {
      case 0:
        return 0;
      case 1:
        return -1_000;
      case 2:
        return Long.MAX_VALUE;
      case 3:
        return Long.MIN_VALUE;
      default:
        return 1_780_000_000_000L + r.nextInt(100_000);
    }
  }

  private static float cpu(Random r) {
    switch (r.nextInt(6)) {
      case 0:
        return Float.NaN;
      case 1:
        return Float.POSITIVE_INFINITY;
      case 2:
        return -0.0f;
      default:
        return r.nextFloat() * 800;
    }
  }

  private static long u64(Random r) {
    return r.nextBoolean() ? U64_EXTREMES[r.nextInt(U64_EXTREMES.length)] : r.nextLong();
  }
}
