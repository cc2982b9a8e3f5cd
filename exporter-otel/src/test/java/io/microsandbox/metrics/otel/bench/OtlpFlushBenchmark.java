package io.microsandbox.metrics.otel.bench;

import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.ExportResult;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.otel.OtlpExporter;
import io.microsandbox.metrics.otel.OtlpExporterBuilder;
import io.microsandbox.metrics.otel.OtlpProtocol;
import io.microsandbox.metrics.otel.testing.OtlpTestReceiver;
import io.microsandbox.metrics.otel.testing.ReceivedRequest;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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

/**
 * One flush of 60 collections x 1000 sandboxes (every optional field present: 14 points per sample,
 * 840,000 points) encoded and sent to a local receiver that reads and discards the bytes. Time per
 * flush (single shot, percentiles) and, printed per trial, the median peak heap in use during a
 * flush above the heap in use before it (the batch itself excluded: it is the collector's buffer,
 * measured by the core benchmark).
 *
 * <p>Run: {@code mvn -B -ntp -Pbench -pl exporter-otel test-compile exec:exec
 * -Dbench=OtlpFlushBenchmark}; {@code encoder} compares the exporter's encoder with the SDK's
 * marshaling in one run.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 15)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g", "-XX:+UseG1GC"})
@State(Scope.Benchmark)
public class OtlpFlushBenchmark {
  static final int COLLECTIONS = 60;
  static final int SANDBOXES = 1000;

  @Param({"GRPC", "HTTP_PROTOBUF"})
  public OtlpProtocol protocol;

  /**
   * 0: the exporter's default split limit (3 MiB); 268435456: the flush as one request, for the
   * per-request cost.
   */
  @Param({"0", "268435456"})
  public long maxRequestBytes;

  /**
   * project: the exporter as shipped ({@code OtlpRequestEncoder}); sdk: the same batch through the
   * SDK's marshaling (the encoder before it: samples split on estimated sizes, {@code MetricData}
   * per request, the SDK's low-allocation marshaler into a reused buffer) and the same transport.
   */
  @Param({"project", "sdk"})
  public String encoder;

  private OtlpTestReceiver receiver;
  private OtlpExporter exporter;
  private SdkPath sdk;
  private ExportBatch batch;
  private final List<Long> peaks = new ArrayList<>();
  private final List<Long> cpu = new ArrayList<>();
  private final List<Long> allocated = new ArrayList<>();
  private long baseline;
  private final List<Long> sideCpu = new ArrayList<>();
  private final List<Long> sideAllocated = new ArrayList<>();
  private long cpuBefore;
  private long allocatedBefore;
  private long[] sideBefore;

  @Setup(Level.Trial)
  public void setUp() {
    receiver = OtlpTestReceiver.startDiscarding(protocol);
    OtlpExporterBuilder b = OtlpExporter.builder().endpoint(receiver.endpoint()).protocol(protocol);
    if (maxRequestBytes > 0) {
      b.maxRequestBytes(maxRequestBytes);
    }
    exporter = b.build();
    batch = batch();
    if (encoder.equals("sdk")) {
      sdk = new SdkPath(receiver.endpoint(), protocol, maxRequestBytes > 0 ? maxRequestBytes : 0);
    }
  }

  /** The buffered batch: every sandbox with 3 labels, one shared label map per sandbox. */
  static ExportBatch batch() {
    Map<Integer, Map<String, String>> labels = new HashMap<>();
    for (int id = 1; id <= SANDBOXES; id++) {
      labels.put(id, Map.of("team", "team-" + (id % 17), "env", "prod", "app", "app-" + id));
    }
    long t0 = 1_780_000_000_000L;
    List<SnapshotCollection> collections = new ArrayList<>(COLLECTIONS);
    for (int c = 0; c < COLLECTIONS; c++) {
      long t = t0 + c * 1000L;
      List<SandboxSnapshot> snapshots = new ArrayList<>(SANDBOXES);
      for (int id = 1; id <= SANDBOXES; id++) {
        SandboxSnapshot.Builder b =
            SandboxSnapshot.builder()
                .slot(id - 1)
                .sandboxId(id)
                .runId(id * 10)
                .pid(10_000 + id)
                .name("sandbox-" + id)
                .startedAtMs(t0 - 3_600_000L)
                .sampledAtMs(t + id % 1000)
                .sampleFlags(SandboxSnapshot.FLAG_CPU | SandboxSnapshot.FLAG_MEMORY)
                .cpuPercent(12.5f + c);
        for (SampleField f : SampleField.values()) {
          b.value(f, 1_000_000L * id + c * 4096L + f.ordinal());
        }
        snapshots.add(b.build());
      }
      collections.add(new SnapshotCollection(t, snapshots, labels));
    }
    return new ExportBatch(collections, 0, CollectorTelemetry.EMPTY);
  }

  @Setup(Level.Invocation)
  public void resetPeaks() {
    System.gc();
    baseline = heapUsed(false);
    for (MemoryPoolMXBean pool : heapPools()) {
      pool.resetPeakUsage();
    }
    cpuBefore = processCpuNanos();
    allocatedBefore = allocatedBytes();
    sideBefore = exporterSide();
  }

  @Benchmark
  public ExportResult flush() throws Exception {
    ExportResult r = sdk != null ? sdk.export(batch) : exporter.export(batch);
    if (!r.isSuccess()) {
      throw new IllegalStateException("flush failed: " + r);
    }
    return r;
  }

  @TearDown(Level.Invocation)
  public void recordPeak() {
    cpu.add(processCpuNanos() - cpuBefore);
    allocated.add(allocatedBytes() - allocatedBefore);
    long[] side = exporterSide();
    sideCpu.add(side[0] - sideBefore[0]);
    sideAllocated.add(side[1] - sideBefore[1]);
    peaks.add(heapUsed(true) - baseline);
  }

  // CPU of the whole process (exporter, transport threads, GC, and the in-process receiver):
  // steadier than wall time on a shared machine
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  // heap allocated by the exporting thread (encoding; the transports' own threads not included)
  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  /**
   * CPU and heap allocation of the exporter's side of the flush: this thread (encoding) and the
   * clients' threads (OkHttp, JDK HttpClient), not the in-process receiver's. Allocation bounds the
   * exporter's share of the peak heap from above.
   */
  private static long[] exporterSide() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long cpuSum = 0;
    long allocatedSum = 0;
    long self = Thread.currentThread().getId();
    for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t == null) {
        continue;
      }
      String n = t.getThreadName();
      if (t.getThreadId() == self || n.startsWith("OkHttp") || n.startsWith("HttpClient-")) {
        cpuSum += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
        allocatedSum += Math.max(0, threads.getThreadAllocatedBytes(t.getThreadId()));
      }
    }
    return new long[] {cpuSum, allocatedSum};
  }

  private static long median(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).sorted().toArray()[values.size() / 2];
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    exporter.shutdown();
    if (sdk != null) {
      sdk.close();
    }
    List<ReceivedRequest> received = receiver.received();
    long bytes = received.stream().mapToLong(ReceivedRequest::bodyBytes).sum();
    receiver.close();
    long[] sorted = peaks.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(
        "%n[%s %s max=%d] requests per flush: %d, protobuf bytes per flush: %.1f MB,"
            + " peak heap above baseline: median %.0f MB (min %.0f, max %.0f) over %d flushes%n",
        protocol,
        encoder,
        maxRequestBytes,
        received.size() / Math.max(1, sorted.length),
        bytes
            / (double) Math.max(1, received.size())
            * received.size()
            / Math.max(1, sorted.length)
            / 1e6,
        sorted[sorted.length / 2] / 1e6,
        sorted[0] / 1e6,
        sorted[sorted.length - 1] / 1e6,
        sorted.length);
    System.out.println("peaks (bytes): " + Arrays.toString(sorted));
    System.out.printf(
        "[%s %s max=%d] process CPU per flush: median %.0f ms; allocated by the exporting thread:"
            + " median %.1f MB%n",
        protocol, encoder, maxRequestBytes, median(cpu) / 1e6, median(allocated) / 1e6);
    System.out.printf(
        "[%s %s max=%d] exporter side (this thread + client threads): CPU median %.0f ms,"
            + " allocated median %.1f MB%n",
        protocol, encoder, maxRequestBytes, median(sideCpu) / 1e6, median(sideAllocated) / 1e6);
  }

  private static List<MemoryPoolMXBean> heapPools() {
    List<MemoryPoolMXBean> out = new ArrayList<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        out.add(pool);
      }
    }
    return out;
  }

  // sum over the heap pools; with peak=true an upper bound of the peak (pools peak separately)
  private static long heapUsed(boolean peak) {
    long sum = 0;
    for (MemoryPoolMXBean pool : heapPools()) {
      sum += peak ? pool.getPeakUsage().getUsed() : pool.getUsage().getUsed();
    }
    return sum;
  }
}
