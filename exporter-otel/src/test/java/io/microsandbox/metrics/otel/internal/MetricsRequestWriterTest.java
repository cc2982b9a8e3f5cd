package io.microsandbox.metrics.otel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.series.SandboxSeries;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The request buffer is as large as the requests it holds: no doubling past them, no hoarding. */
class MetricsRequestWriterTest {
  private static final SandboxSeries[] SERIES = SandboxSeries.all();

  private static MetricsRequestWriter writer() {
    return new MetricsRequestWriter(
        SERIES, Map.of("service.name", "m"), "scope", "1.0", 1L, 64 << 10);
  }

  private static RequestPlan plan(int samples) {
    RequestPlan plan = new RequestPlan(SERIES);
    Random r = new Random(samples);
    for (int i = 0; i < samples; i++) {
      SandboxSnapshot s = OtlpRequestEncoderPropertyTest.snapshot(r, i + 1);
      TreeMap<String, Object> entries = new TreeMap<>();
      entries.put("sandbox.name", s.name());
      entries.put("sandbox.id", (long) s.sandboxId());
      plan.add(s, new SandboxAttributes(entries), Allocation.UNKNOWN);
    }
    return plan;
  }

  @Test
  void theBufferGrowsToTheLargestRequestExactlyNotByDoublingPastIt() throws Exception {
    MetricsRequestWriter w = writer();
    w.write(plan(3000), true, CollectorTelemetry.EMPTY, 2L);
    int large = w.buffer().length();
    assertThat(large).isGreaterThan(256 << 10);
    assertThat(w.buffer().capacity()).isBetween(large, large + 16);
    int capacity = w.buffer().capacity();
    // what it wrote is a whole, valid request
    assertThat(
            ExportMetricsServiceRequest.parseFrom(w.buffer().toByteArray())
                .getResourceMetrics(0)
                .getScopeMetrics(0)
                .getMetricsCount())
        .isGreaterThan(SERIES.length / 2);

    // a smaller request in the same flush reuses the memory
    w.write(plan(10), false, CollectorTelemetry.EMPTY, 2L);
    assertThat(w.buffer().capacity()).isEqualTo(capacity);
    w.endFlush();
    assertThat(w.buffer().capacity())
        .as("kept for the next flush of the same size")
        .isEqualTo(capacity);
    // every request of a flush, the collector series or not, fits without a doubling
    w.write(plan(3000), false, CollectorTelemetry.EMPTY, 2L);
    assertThat(w.buffer().capacity()).as("no regrowth, no doubling").isEqualTo(capacity);
  }

  @Test
  void aFlushOfSmallerRequestsGivesTheExcessBack() {
    MetricsRequestWriter w = writer();
    w.write(plan(3000), true, CollectorTelemetry.EMPTY, 2L);
    w.endFlush();
    w.write(plan(100), true, CollectorTelemetry.EMPTY, 2L);
    int small = w.buffer().length();
    w.endFlush();
    assertThat(w.buffer().capacity()).isBetween(small, small + 16);
  }
}
