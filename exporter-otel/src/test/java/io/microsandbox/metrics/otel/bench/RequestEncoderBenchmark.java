package io.microsandbox.metrics.otel.bench;

import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.otel.OtlpExporter;
import io.microsandbox.metrics.otel.OtlpExporterBuilder;
import io.microsandbox.metrics.otel.internal.BatchEncoder;
import io.microsandbox.metrics.otel.internal.OtlpRequestEncoder;
import io.microsandbox.metrics.otel.internal.Sample;
import io.microsandbox.metrics.otel.internal.TelemetrySeries;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.internal.otlp.metrics.LowAllocationMetricsRequestMarshaler;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The encoding alone, no network: {@link OtlpFlushBenchmark}'s 60 x 1000 batch (840,000 points, 3
 * labels each) turned into 3 MiB requests of protobuf bytes, request by request into one reused
 * buffer. {@code project}: {@link OtlpRequestEncoder} as the exporter uses it (one encoder across
 * flushes). {@code sdk}: the path before it (samples split on estimated sizes, {@code MetricData}
 * per request, the SDK's low-allocation marshaler).
 *
 * <p>Run: {@code mvn -B -ntp -Pbench -pl exporter-otel test-compile exec:exec
 * -Dbench=RequestEncoderBenchmark}; add {@code -jvmArgsAppend -XX:TieredStopAtLevel=1} for C1 only,
 * as the launcher runs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
@State(Scope.Benchmark)
public class RequestEncoderBenchmark {
  private static final long REQUEST_BYTES = OtlpExporterBuilder.DEFAULT_MAX_REQUEST_BYTES;

  @Param({"project", "sdk"})
  public String encoder;

  private ExportBatch batch;
  private OtlpRequestEncoder project;
  private BatchEncoder sdk;
  private TelemetrySeries telemetry;
  private final LowAllocationMetricsRequestMarshaler marshaler =
      new LowAllocationMetricsRequestMarshaler();
  private final ByteArrayOutputStream body = new ByteArrayOutputStream(4 << 20);
  // thread CPU per flush, per measured iteration: steadier than wall time on a shared machine
  private final List<Double> cpuPerFlush = new ArrayList<>();
  private long cpuAtStart;
  private long flushes;

  @Setup
  public void setUp() {
    batch = OtlpFlushBenchmark.batch();
    project =
        new OtlpRequestEncoder(
            Map.of("service.name", "microsandbox"),
            OtlpExporter.SCOPE_NAME,
            "bench",
            false,
            false,
            REQUEST_BYTES,
            0);
    Resource resource =
        Resource.create(Attributes.builder().put("service.name", "microsandbox").build());
    InstrumentationScopeInfo scope =
        InstrumentationScopeInfo.builder(OtlpExporter.SCOPE_NAME).setVersion("bench").build();
    sdk = new BatchEncoder(resource, scope, false, false);
    telemetry = new TelemetrySeries(resource, scope, 0);
  }

  @Setup(Level.Iteration)
  public void startIteration() {
    cpuAtStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    flushes = 0;
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuAtStart;
    cpuPerFlush.add(cpu / 1e6 / Math.max(1, flushes));
  }

  @TearDown(Level.Trial)
  public void report() {
    // the last half are measurement iterations (warmup 5, measurement 10 by default)
    List<Double> sorted =
        new ArrayList<>(cpuPerFlush.subList(cpuPerFlush.size() / 3, cpuPerFlush.size()));
    sorted.sort(null);
    System.out.printf(
        "%n[%s] thread CPU per flush: median %.1f ms (%.0f ns per point) over %d iterations%n",
        encoder,
        sorted.get(sorted.size() / 2),
        sorted.get(sorted.size() / 2) * 1e6 / 840_000,
        sorted.size());
  }

  /** One flush of the batch into protobuf bytes; returns the bytes written. */
  @Benchmark
  public long flush(Blackhole bh) throws Exception {
    flushes++;
    long[] bytes = {0};
    if (encoder.equals("project")) {
      project.encode(
          batch,
          1,
          r -> {
            bytes[0] += r.length();
            bh.consume(r.array());
            return true;
          });
      return bytes[0];
    }
    List<List<Sample>> requests = Sample.split(Sample.of(batch, 1), REQUEST_BYTES - 16 * 1024);
    for (int i = 0; i < requests.size(); i++) {
      List<MetricData> metrics = new ArrayList<>(sdk.encode(requests.get(i)));
      if (i == 0) {
        metrics.addAll(telemetry.encode(batch.telemetry(), 1));
      }
      bytes[0] += marshal(metrics);
    }
    sdk.endFlush();
    return bytes[0];
  }

  private int marshal(List<MetricData> metrics) throws IOException {
    marshaler.initialize(metrics);
    body.reset();
    marshaler.writeBinaryTo(body);
    marshaler.reset();
    return body.size();
  }
}
