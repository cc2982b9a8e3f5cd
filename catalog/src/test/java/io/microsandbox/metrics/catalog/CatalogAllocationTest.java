package io.microsandbox.metrics.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.SandboxMetadata;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * Allocations read from a real SQLite catalog whose rows are in microsandbox's config shape: {@code
 * resources} and {@code runtime} nested next to {@code labels}.
 */
@Timeout(30)
class CatalogAllocationTest {
  private static final String ALPINE = "alpine:3.20";

  @TempDir Path msbHome;

  private final RecordingLogger log = new RecordingLogger();
  private CatalogMetadataSource source;

  @BeforeEach
  void setUp() {
    source = CatalogMetadataSource.builder().msbHome(msbHome).logger(log).build();
  }

  @AfterEach
  void tearDown() {
    source.close();
  }

  private static List<SandboxSnapshot> sandboxes(int... ids) {
    List<SandboxSnapshot> out = new ArrayList<>();
    for (int id : ids) {
      out.add(SandboxSnapshot.builder().slot(id).sandboxId(id).name("sb" + id).build());
    }
    return out;
  }

  private Allocation allocationOf(int id) {
    SandboxMetadata m = source.metadataFor(sandboxes(id)).get(id);
    return m == null ? Allocation.UNKNOWN : m.allocation();
  }

  private static String config(String resources, String runtime) {
    return TestCatalog.config(Map.of("team", "infra"), ALPINE, resources, runtime);
  }

  @Test
  void readsEverySandboxsAllocationNextToItsLabels() {
    TestCatalog.createIn(msbHome)
        .put(
            1,
            "web",
            config(TestCatalog.resources(2, 1024, 4, 2048), TestCatalog.RUNTIME_DEFAULT),
            null)
        .put(
            2,
            "quiet",
            config(
                TestCatalog.resources(1, 512, 1, 512),
                "{\"metrics_sample_interval_ms\":null,\"disable_metrics_sample\":false}"),
            null);

    Map<Integer, SandboxMetadata> metadata = source.metadataFor(sandboxes(1, 2));

    assertThat(metadata.get(1))
        .isEqualTo(
            new SandboxMetadata(
                Map.of("team", "infra"), new Allocation(2, 1024, 4, 2048, 1000, false)));
    assertThat(metadata.get(2).allocation())
        .as("a null interval: sampling off")
        .isEqualTo(new Allocation(1, 512, 1, 512, 0, true));
    assertThat(log.at(Level.WARN)).isEmpty();
  }

  @Test
  void aResizedSandboxReportsItsActiveConfigAndFollowsALiveResize() {
    String booted = config(TestCatalog.resources(1, 512, 2, 4096), TestCatalog.RUNTIME_DEFAULT);
    String resized = config(TestCatalog.resources(2, 2048, 2, 4096), TestCatalog.RUNTIME_DEFAULT);
    TestCatalog catalog = TestCatalog.createIn(msbHome).put(1, "web", booted, resized);

    assertThat(allocationOf(1).memoryMib()).isEqualTo(2048);
    assertThat(allocationOf(1).cpus()).isEqualTo(2);
    assertThat(allocationOf(1).memoryLimitBytes()).hasValue(2048L << 20);

    // msb modify --memory 3G on the running sandbox: active_config is rewritten
    catalog.setActiveConfig(
        1, config(TestCatalog.resources(2, 3072, 2, 4096), TestCatalog.RUNTIME_DEFAULT));
    assertThat(allocationOf(1).memoryMib()).isEqualTo(3072);
  }

  @Test
  void aNullActiveConfigFallsBackToConfig() {
    TestCatalog.createIn(msbHome)
        .put(1, "web", config(TestCatalog.resources(4, 8192, 4, 8192), null), null);

    assertThat(allocationOf(1).cpus()).isEqualTo(4);
    assertThat(allocationOf(1).memoryMib()).isEqualTo(8192);
  }

  @Test
  void missingResourcesLeaveCpusAndMemoryUnknownButKeepTheLabels() {
    TestCatalog.createIn(msbHome).put(1, "web", config(null, TestCatalog.RUNTIME_DEFAULT), null);

    SandboxMetadata m = source.metadataFor(sandboxes(1)).get(1);

    assertThat(m.labels()).isEqualTo(Map.of("team", "infra"));
    assertThat(m.allocation().cpus()).isZero();
    assertThat(m.allocation().memoryLimitBytes()).isEmpty();
    assertThat(log.at(Level.WARN)).isEmpty();
  }

  @Test
  void aZeroMemoryIsUnknownWhileTheCpusStayKnown() {
    TestCatalog.createIn(msbHome)
        .put(1, "web", config(TestCatalog.resources(2, 0, 2, 0), null), null);

    assertThat(allocationOf(1).memoryLimitBytes()).isEmpty();
    assertThat(allocationOf(1).cpus()).isEqualTo(2);
  }

  @Test
  void nonNumericValuesAreUnknownForThatFieldOnlyWithOneWarningPerConfigText() {
    TestCatalog.createIn(msbHome)
        .put(
            1,
            "web",
            config("{\"cpus\":\"two\",\"memory_mib\":1024}", TestCatalog.RUNTIME_DEFAULT),
            null);

    for (int tick = 0; tick < 3; tick++) {
      assertThat(allocationOf(1)).isEqualTo(new Allocation(0, 1024, 0, 0, 1000, false));
    }
    assertThat(log.at(Level.WARN))
        .singleElement()
        .asString()
        .contains("sb1", "resources.cpus", "unknown");
  }

  @Test
  void anImplausibleMemoryIsUnknownWithOneWarning() {
    // issue 21 point 8: memory_mib 2^63-1 exported a limit of 9.2e18 bytes ("/ 8.0E" in top)
    TestCatalog.createIn(msbHome)
        .put(
            1,
            "web",
            config("{\"cpus\":2,\"memory_mib\":9223372036854775807}", TestCatalog.RUNTIME_DEFAULT),
            null);

    for (int tick = 0; tick < 3; tick++) {
      assertThat(allocationOf(1).memoryLimitBytes()).as("unknown").isEmpty();
      assertThat(allocationOf(1).cpus()).isEqualTo(2);
    }
    assertThat(log.at(Level.WARN))
        .singleElement()
        .asString()
        .contains("resources.memory_mib", "more than the largest machines offer", "unknown");
  }

  @Test
  void withLabelsOffTheAllocationIsStillRead() {
    TestCatalog.createIn(msbHome)
        .put(1, "web", config(TestCatalog.resources(2, 1024, 2, 1024), null), null);
    source.close();
    source = CatalogMetadataSource.builder().msbHome(msbHome).readLabels(false).logger(log).build();

    SandboxMetadata m = source.metadataFor(sandboxes(1)).get(1);

    assertThat(m.labels()).isEmpty();
    assertThat(m.allocation().cpus()).isEqualTo(2);
  }

  @Test
  void whileTheCatalogIsLockedAKnownSandboxKeepsItsAllocationAndANewOneHasNone() {
    TestCatalog catalog =
        TestCatalog.createIn(msbHome)
            .put(1, "web", config(TestCatalog.resources(2, 1024, 2, 1024), null), null)
            .put(2, "new", config(TestCatalog.resources(4, 4096, 4, 4096), null), null);
    assertThat(allocationOf(1).cpus()).isEqualTo(2);

    try (TestCatalog.Lock lock = catalog.lockExclusively()) {
      lock.execute("UPDATE sandbox SET name = 'renamed' WHERE id = 1");
      for (int tick = 0; tick < 3; tick++) {
        Map<Integer, SandboxMetadata> metadata = source.metadataFor(sandboxes(1, 2));
        assertThat(metadata.get(1).allocation().memoryMib()).isEqualTo(1024);
        assertThat(metadata).as("never read: unknown until the lock is gone").doesNotContainKey(2);
      }
    }
    assertThat(log.at(Level.WARN)).singleElement().asString().contains("locked");
    assertThat(source.metadataFor(sandboxes(1, 2)).get(2).allocation().cpus()).isEqualTo(4);
  }
}
