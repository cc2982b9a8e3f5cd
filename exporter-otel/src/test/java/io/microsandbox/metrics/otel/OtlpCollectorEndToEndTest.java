package io.microsandbox.metrics.otel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.microsandbox.metrics.collector.FlushOutcome;
import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.collector.SnapshotSource;
import io.microsandbox.metrics.otel.testing.OtlpTestReceiver;
import io.microsandbox.metrics.otel.testing.ReceivedRequest;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.testing.GoldenImages;
import io.microsandbox.metrics.registry.testing.TempShm;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real collector reading a real registry (microsandbox's golden images) through the OTLP
 * exporter into a real receiver; and a backend outage: what is delivered after recovery.
 */
@Timeout(30)
class OtlpCollectorEndToEndTest {
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
  private static final Map<String, String> LONG_SERIES =
      Map.of(
          "microsandbox.memory.usage", "memory_bytes",
          "microsandbox.memory.limit", "memory_limit_bytes",
          "microsandbox.disk.bytes_read", "disk_read_bytes",
          "microsandbox.disk.bytes_written", "disk_write_bytes",
          "microsandbox.network.bytes_received", "net_rx_bytes",
          "microsandbox.network.bytes_sent", "net_tx_bytes",
          "microsandbox.upper.used", "upper_used_bytes",
          "microsandbox.upper.free", "upper_free_bytes",
          "microsandbox.upper.host_allocated", "upper_host_allocated_bytes",
          "microsandbox.memory.available", "memory_available_bytes");

  @RegisterExtension final TempShm shm = new TempShm();

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"basic, GRPC", "basic, HTTP_PROTOBUF", "edge, GRPC", "edge, HTTP_PROTOBUF"})
  void goldenRegistryValuesArriveExactlyAtTheirSampleTimes(String scenario, OtlpProtocol protocol)
      throws Exception {
    String name = shm.newName();
    GoldenImages.install(scenario, name);
    JsonNode expected = GoldenImages.expected(scenario).get("active_snapshot");
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start(protocol, null, false)) {
      OtlpExporter exporter =
          OtlpExporter.builder()
              .endpoint(receiver.endpoint())
              .protocol(protocol)
              .emitRunId(true)
              .emitPid(true)
              .build();
      try (RunningCollector running =
          MetricsCollector.builder()
              .registryName(name)
              .collectInterval(Duration.ofMillis(50))
              .flushInterval(Duration.ofHours(1))
              .maxSampleAge(Duration.ZERO)
              .register(exporter)
              .build()
              .start()) {
        ReceivedRequest r = flushUntilSandboxesArrive(running, receiver);
        for (JsonNode s : expected) {
          assertSandbox(r, s);
        }
      }
    }
  }

  private static ReceivedRequest flushUntilSandboxesArrive(
      RunningCollector running, OtlpTestReceiver receiver) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      running.flush().get(10, TimeUnit.SECONDS);
      for (ReceivedRequest r : receiver.accepted()) {
        if (!r.points("microsandbox.uptime").isEmpty()) {
          return r;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no sandbox points arrived");
  }

  /** The first point of each series for the sandbox equals the golden value. */
  private static void assertSandbox(ReceivedRequest r, JsonNode s) {
    String sandbox = s.get("name").asText();
    long time = s.get("timestamp_ms").asLong() * 1_000_000L;
    for (Map.Entry<String, String> e : LONG_SERIES.entrySet()) {
      JsonNode v = s.get(e.getValue());
      List<NumberDataPoint> points = pointsOf(r, e.getKey(), sandbox);
      if (v == null || v.isNull()) {
        assertThat(points).as("%s of %s is absent", e.getKey(), sandbox).isEmpty();
        continue;
      }
      assertThat(points).as("%s of %s", e.getKey(), sandbox).isNotEmpty();
      NumberDataPoint p = points.get(0);
      assertThat(p.getTimeUnixNano()).isEqualTo(time);
      // the unsigned rule: exact up to Long.MAX_VALUE, clamped above, never negative
      assertThat(BigInteger.valueOf(p.getAsInt()))
          .as("%s of %s", e.getKey(), sandbox)
          .isEqualTo(v.bigIntegerValue().min(LONG_MAX));
    }
    NumberDataPoint cpu = pointsOf(r, "microsandbox.cpu.utilization", sandbox).get(0);
    assertThat(cpu.getTimeUnixNano()).isEqualTo(time);
    float percent = Float.intBitsToFloat(s.get("cpu_percent_bits").intValue());
    assertThat(cpu.getAsDouble()).isEqualTo(percent / 100.0);
    assertThat(pointsOf(r, "microsandbox.uptime", sandbox).get(0).getAsDouble())
        .isEqualTo(s.get("uptime_ms").asLong() / 1000.0);
    NumberDataPoint cpuTime = pointsOf(r, "microsandbox.cpu.time", sandbox).get(0);
    assertThat(cpuTime.getAsDouble())
        .isEqualTo(
            new java.math.BigDecimal(s.get("vcpu_time_ns").bigIntegerValue()).doubleValue() / 1e9);
    assertThat(cpuTime.getStartTimeUnixNano()).isLessThanOrEqualTo(time);
    Map<String, AnyValue> a = OtlpExporterWireTest.attributes(cpuTime.getAttributesList());
    assertThat(a.get("sandbox.id").getIntValue()).isEqualTo(s.get("sandbox_id").asLong());
    assertThat(a.get("sandbox.run_id").getIntValue()).isEqualTo(s.get("run_id").asLong());
    assertThat(a.get("sandbox.pid").getIntValue()).isEqualTo(s.get("pid").asLong());
  }

  private static List<NumberDataPoint> pointsOf(ReceivedRequest r, String metric, String sandbox) {
    List<NumberDataPoint> out = new ArrayList<>();
    for (NumberDataPoint p : r.points(metric)) {
      if (OtlpExporterWireTest.attributes(p.getAttributesList())
          .get("sandbox.name")
          .getStringValue()
          .equals(sandbox)) {
        out.add(p);
      }
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(OtlpProtocol.class)
  void afterAnOutageEveryCollectionWithinTheCapArrivesOnceInOrderAndTheDropsAreCounted(
      OtlpProtocol protocol) throws Exception {
    int cap = 5;
    int produced = 12;
    CountingSource source = new CountingSource(produced);
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start(protocol, null, false)) {
      receiver.goDown();
      RunningCollector running =
          MetricsCollector.builder()
              .source(source)
              .collectInterval(Duration.ofMillis(20))
              .flushInterval(Duration.ofMillis(100))
              .maxBuffered(cap)
              .maxSampleAge(Duration.ZERO)
              .register(
                  OtlpExporter.builder().endpoint(receiver.endpoint()).protocol(protocol).build())
              .build()
              .start();
      try {
        assertThat(source.producedAll.await(10, TimeUnit.SECONDS)).isTrue();
        receiver.awaitReceived(1, 10_000); // at least one failed attempt during the outage
        assertThat(receiver.accepted()).isEmpty();
        // An attempt may still be in flight with an older window (say 7..11, taken before 12 was
        // collected); recovering now would let the receiver accept it. Recover only once that
        // attempt failed and its batch went back under the cap: the buffer then holds exactly the
        // last `cap` collections, and any later attempt carries those.
        awaitBuffered(running, cap);

        receiver.recover();
        // an explicit flush bypasses the backoff and delivers at once
        FlushOutcome outcome = running.flush().get(10, TimeUnit.SECONDS);
        assertThat(outcome.isSuccess()).as(outcome.toString()).isTrue();

        List<Long> values = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        long dropped = -1;
        for (ReceivedRequest r : receiver.accepted()) {
          for (NumberDataPoint p : r.points("microsandbox.memory.usage")) {
            values.add(p.getAsInt());
            times.add(p.getTimeUnixNano() / 1_000_000L);
          }
          dropped =
              Math.max(
                  dropped,
                  r.points("microsandbox.collector.collections.dropped").get(0).getAsInt());
        }
        // the last `cap` collections, each once, oldest first, at their own sample times
        assertThat(values).containsExactly(8L, 9L, 10L, 11L, 12L);
        assertThat(times)
            .containsExactlyElementsOf(source.sampleTimes.subList(produced - cap, produced));
        assertThat(dropped).isEqualTo(produced - cap);
      } finally {
        source.release.countDown();
        running.shutdown().get(20, TimeUnit.SECONDS);
      }
    }
  }

  private static void awaitBuffered(RunningCollector running, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (running.status().exporters().get(0).bufferedCollections() != count) {
      assertThat(System.nanoTime())
          .as("buffer back to %d collections: %s", count, running.status().exporters())
          .isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  /**
   * Yields one sandbox whose memory value is the read's sequence number (1, 2, ...), then blocks
   * after {@code limit} reads until released (so the test knows exactly what was collected), then
   * yields empty collections.
   */
  static final class CountingSource implements SnapshotSource {
    final int limit;
    final List<Long> sampleTimes = new java.util.concurrent.CopyOnWriteArrayList<>();
    final CountDownLatch producedAll = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private int reads;

    CountingSource(int limit) {
      this.limit = limit;
    }

    @Override
    public List<SandboxSnapshot> read() throws InterruptedException {
      if (reads == limit) {
        producedAll.countDown();
        release.await(30, TimeUnit.SECONDS);
        return List.of();
      }
      if (reads > limit) {
        return List.of();
      }
      reads++;
      long now = System.currentTimeMillis();
      sampleTimes.add(now);
      return List.of(
          SandboxSnapshot.builder()
              .sandboxId(1)
              .name("seq")
              .startedAtMs(now - 1000)
              .sampledAtMs(now)
              .raw(SampleField.MEMORY_BYTES, reads)
              .build());
    }
  }
}
