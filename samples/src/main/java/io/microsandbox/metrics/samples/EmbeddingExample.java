package io.microsandbox.metrics.samples;

import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.ExportResult;
import io.microsandbox.metrics.collector.ExporterConfig;
import io.microsandbox.metrics.collector.FlushOutcome;
import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.MetricsExporter;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.otel.OtlpExporter;
import io.microsandbox.metrics.otel.OtlpProtocol;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Embedding the collector in a JVM control plane: ship every sandbox's metrics over OTLP and, on
 * the side, keep the latest memory use of each sandbox in memory for the control plane's own
 * decisions (a custom exporter).
 *
 * <pre>
 *   registry (shm) ──> MetricsCollector ──┬─> OtlpExporter        flush every 10 s, retry w/ backoff
 *                                         └─> LatestMemoryUse     flush every 1 s, in-process map
 * </pre>
 *
 * <p>Run it against any OTLP/gRPC receiver (Alloy, an OpenTelemetry Collector): {@code java -cp ...
 * io.microsandbox.metrics.samples.EmbeddingExample http://127.0.0.1:4317}.
 */
public final class EmbeddingExample {
  private EmbeddingExample() {}

  /**
   * Starts collecting the sandboxes of microsandbox home {@code msbHome} (null: {@code $MSB_HOME},
   * else {@code ~/.microsandbox}) into both exporters.
   *
   * @param otlpEndpoint an OTLP/gRPC endpoint such as {@code http://127.0.0.1:4317}
   * @param msbHome the microsandbox home, or null for the default
   * @param latest the in-process exporter the control plane reads
   * @return the running collector: call {@link #backendRecovered} and {@code close()} on it
   */
  public static RunningCollector start(
      String otlpEndpoint, @Nullable String msbHome, LatestMemoryUse latest) {
    MetricsCollector.Builder builder =
        MetricsCollector.builder()
            .collectInterval(Duration.ofSeconds(1))
            .register(
                OtlpExporter.builder()
                    .endpoint(otlpEndpoint)
                    .protocol(OtlpProtocol.GRPC)
                    .resourceAttribute("deployment.environment.name", "dev")
                    .build())
            // its own cadence: the control plane wants fresh figures, not the OTLP flush cadence
            .register(
                latest, ExporterConfig.builder().flushInterval(Duration.ofSeconds(1)).build());
    if (msbHome != null) {
      builder.msbHome(msbHome);
    }
    return builder.build().start();
  }

  /**
   * What a control plane calls when it learns that the metrics backend is reachable again (a health
   * check passed, an operator said so): exports the buffered history now instead of waiting out the
   * retry backoff.
   *
   * @return each exporter's outcome of that attempt
   */
  public static CompletableFuture<FlushOutcome> backendRecovered(RunningCollector collector) {
    return collector.flush();
  }

  /**
   * A custom exporter: remembers the latest guest memory use of every sandbox. The collector calls
   * {@link #export} on a worker thread of its own; readers may call {@link #bytesByName} from any
   * thread.
   */
  public static final class LatestMemoryUse implements MetricsExporter {
    private final Map<String, Long> bytesByName = new ConcurrentHashMap<>();
    private volatile boolean shutDown;

    @Override
    public String name() {
      return "latest-memory";
    }

    @Override
    public ExportResult export(ExportBatch batch) {
      // collections come oldest first: the last write per sandbox wins
      for (SnapshotCollection collection : batch.collections()) {
        for (SandboxSnapshot s : collection.snapshots()) {
          bytesByName.put(s.name(), s.raw(SampleField.MEMORY_BYTES));
        }
      }
      return ExportResult.success(batch.sampleCount());
    }

    @Override
    public void shutdown() {
      shutDown = true;
    }

    /** Guest memory in use, bytes, by sandbox name, as of the latest collection exported. */
    public Map<String, Long> bytesByName() {
      return Map.copyOf(bytesByName);
    }

    /** Whether the collector has shut this exporter down. */
    public boolean isShutDown() {
      return shutDown;
    }
  }

  /**
   * Runs until Ctrl-C, printing the memory figures every 10 seconds.
   *
   * @param args the OTLP/gRPC endpoint (default {@code http://127.0.0.1:4317}), optionally followed
   *     by the microsandbox home
   */
  public static void main(String[] args) throws InterruptedException {
    String endpoint = args.length > 0 ? args[0] : "http://127.0.0.1:4317";
    String msbHome = args.length > 1 ? args[1] : null;
    LatestMemoryUse latest = new LatestMemoryUse();
    RunningCollector collector = start(endpoint, msbHome, latest);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // final drain of everything buffered, then each exporter's shutdown (bounded)
                  collector.close();
                  stopped.countDown();
                }));
    while (!stopped.await(10, TimeUnit.SECONDS)) {
      System.out.println("memory in use by sandbox: " + latest.bytesByName());
    }
  }
}
