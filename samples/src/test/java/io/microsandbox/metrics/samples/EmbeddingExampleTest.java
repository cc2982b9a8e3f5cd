package io.microsandbox.metrics.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.FlushOutcome;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.otel.OtlpProtocol;
import io.microsandbox.metrics.otel.testing.OtlpTestReceiver;
import io.microsandbox.metrics.otel.testing.ReceivedRequest;
import io.microsandbox.metrics.registry.RegistryName;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.testing.TempShm;
import io.microsandbox.metrics.registry.writer.RegistryWriter;
import io.microsandbox.metrics.registry.writer.SlotHandle;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the embedding example as a control plane would: a real registry with one sandbox, a real
 * OTLP receiver that is down at first, the in-process exporter read while the backend is down,
 * {@code flush()} once it is back, and {@code shutdown()}.
 */
@Timeout(60)
class EmbeddingExampleTest {
  @RegisterExtension final TempShm shm = new TempShm();

  @Test
  void shipsOverOtlpAndKeepsTheLatestFiguresInProcess(@TempDir Path msbHome) throws Exception {
    String home = msbHome.toString();
    try (RegistryWriter registry =
            RegistryWriter.create(shm.track(RegistryName.forHome(home)), 16);
        OtlpTestReceiver backend = OtlpTestReceiver.start(OtlpProtocol.GRPC, null, false)) {
      SlotHandle slot = registry.reserve(33, "devbox", 512L << 20);
      long now = System.currentTimeMillis();
      slot.activate(7, (int) ProcessHandle.current().pid(), now - 60_000);
      Thread writer = new Thread(() -> writeSamples(slot), "sample-writer");
      writer.setDaemon(true);
      writer.start();
      backend.goDown();

      EmbeddingExample.LatestMemoryUse latest = new EmbeddingExample.LatestMemoryUse();
      try {
        try (RunningCollector collector =
            EmbeddingExample.start(backend.endpoint(), home, latest)) {
          // the in-process exporter works while the OTLP backend is down
          while (!latest.bytesByName().containsKey("devbox")) {
            Thread.sleep(50);
          }
          assertThat(latest.bytesByName().get("devbox")).isBetween(100L << 20, 101L << 20);

          FlushOutcome whileDown =
              EmbeddingExample.backendRecovered(collector).get(30, TimeUnit.SECONDS);
          assertThat(whileDown.isSuccess()).isFalse();
          assertThat(whileDown.results().get("otlp").isSuccess()).isFalse();

          backend.recover();
          FlushOutcome afterRecovery =
              EmbeddingExample.backendRecovered(collector).get(30, TimeUnit.SECONDS);
          assertThat(afterRecovery.isSuccess()).as("%s", afterRecovery).isTrue();
          ReceivedRequest delivered = backend.accepted().get(0);
          assertThat(delivered.points("microsandbox.memory.usage")).isNotEmpty();
          assertThat(delivered.request().getResourceMetrics(0).getResource().getAttributesList())
              .anySatisfy(
                  a -> {
                    assertThat(a.getKey()).isEqualTo("deployment.environment.name");
                    assertThat(a.getValue().getStringValue()).isEqualTo("dev");
                  });
        }
      } finally {
        writer.interrupt();
      }
      assertThat(latest.isShutDown()).isTrue();
    }
  }

  /** A runtime's sampling loop: one sample every 100 ms until interrupted. */
  private static void writeSamples(SlotHandle slot) {
    long memory = 100L << 20;
    while (!Thread.currentThread().isInterrupted()) {
      slot.writeSample(
          SandboxSnapshot.builder()
              .sampledAtMs(System.currentTimeMillis())
              .sampleFlags(SandboxSnapshot.FLAG_CPU | SandboxSnapshot.FLAG_MEMORY)
              .cpuPercent(12.5f)
              .raw(SampleField.MEMORY_BYTES, memory++)
              .build());
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
