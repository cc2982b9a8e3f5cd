package io.microsandbox.metrics.otel.bench;

import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.otel.internal.BatchEncoder;
import io.microsandbox.metrics.otel.internal.Sample;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The sidecar's flush without the SDK's marshaling and the network: 10 collections x 1000 sandboxes
 * (the first 10 collections of {@link OtlpFlushBenchmark}'s batch, 3 labels each) turned into
 * samples, split at 3 MiB and encoded into {@link MetricData}, request by request.
 *
 * <p>{@code attributes=kept}: one encoder for every flush, as the exporter uses it (a sandbox's
 * attributes are built once and kept across flushes). {@code attributes=perRequest}: a new encoder
 * per request, which builds each sandbox's attributes again in every request, as the encoder did
 * before it kept them.
 *
 * <p>Run: {@code mvn -B -ntp -Pbench -pl exporter-otel test-compile exec:exec
 * -Dbench=BatchEncoderBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx256m"})
@State(Scope.Benchmark)
public class BatchEncoderBenchmark {
  private static final int COLLECTIONS = 10;
  private static final long REQUEST_BYTES = 3L * 1024 * 1024;

  @Param({"kept", "perRequest"})
  public String attributes;

  private ExportBatch batch;
  private BatchEncoder encoder;

  @Setup
  public void setUp() {
    List<SnapshotCollection> first =
        new ArrayList<>(OtlpFlushBenchmark.batch().collections().subList(0, COLLECTIONS));
    batch = new ExportBatch(first, 0, CollectorTelemetry.EMPTY);
    encoder = newEncoder();
  }

  private static BatchEncoder newEncoder() {
    return new BatchEncoder(
        Resource.getDefault(), InstrumentationScopeInfo.create("bench"), false, false);
  }

  /** One 10 s flush of the sidecar: samples, split, MetricData per request. */
  @Benchmark
  public void flush(Blackhole bh) {
    boolean kept = attributes.equals("kept");
    for (List<Sample> request : Sample.split(Sample.of(batch, 1), REQUEST_BYTES)) {
      BatchEncoder e = kept ? encoder : newEncoder();
      List<MetricData> metrics = e.encode(request);
      bh.consume(metrics);
    }
    encoder.endFlush();
  }
}
