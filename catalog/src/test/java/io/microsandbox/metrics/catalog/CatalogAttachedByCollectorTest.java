package io.microsandbox.metrics.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.collector.SnapshotSource;
import io.microsandbox.metrics.collector.testing.OurThreads;
import io.microsandbox.metrics.collector.testing.Samples;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With this module on the class path, a collector given only its home reads that home's catalog:
 * found through the ServiceLoader, one home for the registry and the catalog.
 */
@Timeout(30)
class CatalogAttachedByCollectorTest {
  @TempDir Path msbHome;

  /** Sandbox 1, freshly sampled at every read. */
  private static final class OneSandbox implements SnapshotSource {
    @Override
    public List<SandboxSnapshot> read() {
      return List.of(Samples.sample(1, System.currentTimeMillis()));
    }

    @Override
    public void close() {}
  }

  private Optional<SnapshotCollection> firstCollection(MetricsCollector.Builder builder)
      throws Exception {
    RunningCollector running =
        builder
            .msbHome(msbHome)
            .source(new OneSandbox())
            .collectInterval(Duration.ofMillis(20))
            .build()
            .start();
    try {
      OurThreads.await(() -> running.latest().isPresent(), 10_000);
      return running.latest();
    } finally {
      running.shutdown().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theHomesCatalogIsAttachedWithoutWiring() throws Exception {
    TestCatalog.createIn(msbHome).put(1, "web", Map.of("team", "checkout"));

    SnapshotCollection c = firstCollection(MetricsCollector.builder()).orElseThrow();

    assertThat(c.labels(c.snapshots().get(0))).containsEntry("team", "checkout");
  }

  @Test
  void attachCatalogFalseLeavesItOff() throws Exception {
    TestCatalog.createIn(msbHome).put(1, "web", Map.of("team", "checkout"));

    SnapshotCollection c =
        firstCollection(MetricsCollector.builder().attachCatalog(false)).orElseThrow();

    assertThat(c.labels(c.snapshots().get(0))).isEmpty();
  }
}
