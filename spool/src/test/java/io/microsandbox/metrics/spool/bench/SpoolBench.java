package io.microsandbox.metrics.spool.bench;

import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.ExportResult;
import io.microsandbox.metrics.collector.ExporterConfig;
import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.MetricsExporter;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.collector.internal.CompactCollection;
import io.microsandbox.metrics.collector.internal.IdentityInterner;
import io.microsandbox.metrics.collector.spool.SpoolSettings;
import io.microsandbox.metrics.otel.OtlpExporter;
import io.microsandbox.metrics.otel.OtlpProtocol;
import io.microsandbox.metrics.otel.testing.GrpcOtlpReceiver;
import io.microsandbox.metrics.spool.internal.DiskSpool;
import io.microsandbox.metrics.spool.internal.EncodedSizes;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The spool's figures (docs/benchmarks.md, "Durable spool"): {@code bytes} (bytes on disk per
 * sandbox-sample of five encodings, side by side), {@code cpu} (CPU the spool adds per collection
 * of 1000 sandboxes: decode of the compact form, encode, write, fsync, removal after delivery),
 * {@code replay} (one hour of 1000-sandbox history delivered over OTLP/gRPC to a local receiver,
 * with the heap's peak).
 *
 * <pre>
 * mvn -Pbench -pl spool -am test-compile exec:exec -Dbench.main=io.microsandbox.metrics.spool.bench.SpoolBench -Dbench.args=bytes -Dbench=
 * </pre>
 */
public final class SpoolBench {
  private static final int SANDBOXES = 1000;

  private SpoolBench() {}

  /** Runs the mode named by the first argument. */
  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "bytes";
    switch (mode) {
      case "bytes" -> bytes();
      case "cpu" -> cpu();
      case "replay" -> replay(args.length > 1 ? Integer.parseInt(args[1]) : 3600, true);
      case "replay-null" -> replay(args.length > 1 ? Integer.parseInt(args[1]) : 3600, false);
      default ->
          throw new IllegalArgumentException(
              "mode: bytes | cpu | replay [collections] | replay-null [collections]");
    }
  }

  /** Bytes per sandbox-sample: 10 minutes of 1000 sandboxes, five encodings side by side. */
  private static void bytes() throws IOException {
    Workload w = new Workload(SANDBOXES, System.currentTimeMillis() - 3_600_000L);
    int n = 600;
    List<SnapshotCollection> cs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      cs.add(w.collection(i));
    }
    double samples = (double) n * SANDBOXES;
    long[] cpu = new long[5];
    long[] size = new long[5];
    ThreadMXBean t = ManagementFactory.getThreadMXBean();
    for (int round = 0; round < 3; round++) { // the last round is measured, the others warm up
      for (int k = 0; k < 5; k++) {
        long start = t.getCurrentThreadCpuTime();
        size[k] =
            switch (k) {
              case 0 -> EncodedSizes.fixedWidth(cs, false);
              case 1 -> EncodedSizes.fixedWidth(cs, true);
              case 2 -> EncodedSizes.deltaVarint(cs, false, 64);
              case 3 -> EncodedSizes.deltaVarint(cs, true, 64);
              default -> EncodedSizes.deltaVarint(cs, false);
            };
        cpu[k] = t.getCurrentThreadCpuTime() - start;
      }
    }
    String[] names = {
      "fixed width",
      "fixed width + deflate(1)",
      "delta + varint, keyframe/64",
      "delta + varint + deflate(1)",
      "varint, every record a keyframe (chosen)"
    };
    System.out.printf("%d collections x %d sandboxes%n", n, SANDBOXES);
    for (int k = 0; k < 5; k++) {
      System.out.printf(
          "%-42s %6.1f B/sample  encode %6.3f ms/collection%n",
          names[k], size[k] / samples, cpu[k] / 1e6 / n);
    }
    // the real files, segment headers and all
    Path dir = Files.createTempDirectory("spool-bench");
    DiskSpool spool =
        DiskSpool.open(
            "bench",
            new SpoolSettings(
                dir, SpoolSettings.DEFAULT_MAX_BYTES, Duration.ofDays(1), Duration.ofSeconds(1)),
            System::currentTimeMillis);
    for (SnapshotCollection c : cs) {
      spool.append(c);
    }
    long onDisk = spool.stats(System.currentTimeMillis()).bytes();
    spool.close();
    System.out.printf(
        "on disk (DiskSpool files): %.1f B/sample; 1 GiB holds %.1f h of %d sandboxes at 1 s%n",
        onDisk / samples, (1L << 30) / (onDisk / samples) / SANDBOXES / 3600, SANDBOXES);
    deleteTree(dir);
  }

  /** CPU per collection the spool adds at steady state, sync always (one fsync per append). */
  private static void cpu() throws IOException {
    Workload w = new Workload(SANDBOXES, System.currentTimeMillis() - 600_000L);
    IdentityInterner interner = new IdentityInterner();
    Path dir = Files.createTempDirectory("spool-bench");
    DiskSpool spool =
        DiskSpool.open(
            "bench",
            new SpoolSettings(
                dir,
                SpoolSettings.DEFAULT_MAX_BYTES,
                Duration.ofDays(1),
                SpoolSettings.SYNC_ALWAYS),
            System::currentTimeMillis);
    ThreadMXBean t = ManagementFactory.getThreadMXBean();
    int warmup = 300;
    int measured = 300;
    long[] perCollection = new long[measured];
    long previous = -1;
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long processCpuAtWarmup = 0;
    long processCpuOfWorkload = 0;
    for (int i = 0; i < warmup + measured; i++) {
      if (i == warmup) {
        processCpuAtWarmup = os.getProcessCpuTime();
      }
      long made = t.getCurrentThreadCpuTime();
      SnapshotCollection c = w.collection(i);
      CompactCollection compact =
          CompactCollection.encode(
              c.collectedAtMs(), c.snapshots(), CompactCollection.metadataOf(c), interner);
      long start = t.getCurrentThreadCpuTime();
      if (i >= warmup) {
        processCpuOfWorkload += start - made; // the collector's own work, not the spool's
      }
      long seq = spool.append(compact.decode()); // what SpooledBuffer.offer does
      if (previous >= 0) {
        spool.remove(previous); // delivered: what the worker does after a success
      }
      previous = seq;
      long used = t.getCurrentThreadCpuTime() - start;
      if (i >= warmup) {
        perCollection[i - warmup] = used;
      }
    }
    long processCpu = os.getProcessCpuTime() - processCpuAtWarmup - processCpuOfWorkload;
    spool.close();
    Arrays.sort(perCollection);
    double medianMs = perCollection[measured / 2] / 1e6;
    System.out.printf(
        "added CPU per collection of %d sandboxes: median %.3f ms, p90 %.3f ms"
            + " = %.3f %% of a core at a 1 s collect interval%n",
        SANDBOXES, medianMs, perCollection[measured * 9 / 10] / 1e6, medianMs / 1000 * 100);
    System.out.printf(
        "process CPU per collection (all threads: GC, JIT, the writer; minus making the input):"
            + " %.3f ms = %.3f %% of a core%n",
        processCpu / 1e6 / measured, processCpu / 1e6 / measured / 1000 * 100);
    deleteTree(dir);
  }

  /**
   * One hour of history spooled, then delivered by a real collector to a local receiver over
   * OTLP/gRPC ({@code otlp}), or to an exporter that accepts without encoding ({@code !otlp}: the
   * spool's and the worker's own share).
   */
  private static void replay(int collections, boolean otlp) throws Exception {
    Path root = Files.createTempDirectory("spool-bench");
    long now = System.currentTimeMillis();
    Workload w = new Workload(SANDBOXES, now - 1000L * collections);
    SpoolSettings settings =
        new SpoolSettings(
            root.resolve("otlp"),
            SpoolSettings.DEFAULT_MAX_BYTES,
            Duration.ofHours(2),
            SpoolSettings.DEFAULT_SYNC_INTERVAL);
    DiskSpool writer = DiskSpool.open("otlp", settings, System::currentTimeMillis);
    for (int i = 0; i < collections; i++) {
      writer.append(w.collection(i));
    }
    long bytes = writer.stats(now).bytes();
    writer.close();
    System.out.printf(
        "spooled %d collections x %d sandboxes: %.1f MB on disk%n",
        collections, SANDBOXES, bytes / 1e6);
    w = null;
    System.gc();

    AtomicReference<DiskSpool> opened = new AtomicReference<>();
    try (GrpcOtlpReceiver receiver = GrpcOtlpReceiver.startDiscarding()) {
      MetricsExporter exporter =
          otlp
              ? OtlpExporter.builder()
                  .endpoint(receiver.endpoint())
                  .protocol(OtlpProtocol.GRPC)
                  .build()
              : new MetricsExporter() {
                @Override
                public String name() {
                  return "otlp";
                }

                @Override
                public ExportResult export(ExportBatch batch) {
                  return ExportResult.success(batch.sampleCount());
                }
              };
      resetPeaks();
      long baseline = heapUsed();
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpuStart = os.getProcessCpuTime();
      long start = System.nanoTime();
      RunningCollector running =
          MetricsCollector.builder()
              .source(List::of)
              .flushInterval(Duration.ofSeconds(10))
              .register(
                  exporter,
                  ExporterConfig.builder()
                      .spoolDir(root)
                      .spoolMaxAge(Duration.ofHours(2))
                      .spoolProvider(
                          (name, s) -> {
                            DiskSpool d = DiskSpool.open(name, s, System::currentTimeMillis);
                            opened.set(d);
                            return d;
                          })
                      .build())
              .build()
              .start();
      while (opened.get() == null
          || opened.get().stats(System.currentTimeMillis()).collections() > 1) {
        Thread.sleep(50);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuSeconds = (os.getProcessCpuTime() - cpuStart) / 1e9;
      long peak = heapPeak();
      running.shutdown().join();
      System.out.printf(
          "%s: replayed %d collections (%d sandbox-samples) in %.1f s wall, %.1f s process CPU"
              + " = %.0f samples/s; heap peak %.1f MB (baseline before %.1f MB), -Xmx %d MB%n",
          otlp ? "OTLP/gRPC" : "accepting exporter",
          collections,
          (long) collections * SANDBOXES,
          seconds,
          cpuSeconds,
          collections * (double) SANDBOXES / seconds,
          peak / 1e6,
          baseline / 1e6,
          Runtime.getRuntime().maxMemory() >> 20);
    }
    deleteTree(root);
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
      }
    }
  }

  private static long heapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long heapPeak() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
