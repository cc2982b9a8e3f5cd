package io.microsandbox.metrics.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.microsandbox.metrics.collector.InvalidSettingException;
import io.microsandbox.metrics.collector.SandboxMetadata;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.SlotState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

@Timeout(30)
class CatalogMetadataSourceTest {
  @TempDir Path msbHome;

  private final RecordingLogger log = new RecordingLogger();
  private CatalogMetadataSource source;

  @BeforeEach
  void setUp() {
    source = newSource(CatalogMetadataSource.builder());
  }

  @AfterEach
  void tearDown() {
    source.close();
  }

  private CatalogMetadataSource newSource(CatalogMetadataSource.Builder builder) {
    return builder.msbHome(msbHome).logger(log).build();
  }

  private static SandboxSnapshot sandbox(int id, String name) {
    return SandboxSnapshot.builder().slot(id).sandboxId(id).name(name).build();
  }

  /** The labels part of this tick's metadata, for the sandboxes that have labels. */
  private Map<Integer, Map<String, String>> labelsFor(List<SandboxSnapshot> snapshots) {
    Map<Integer, Map<String, String>> labels = new HashMap<>();
    source
        .metadataFor(snapshots)
        .forEach(
            (id, m) -> {
              if (!m.labels().isEmpty()) {
                labels.put(id, m.labels());
              }
            });
    return labels;
  }

  private static List<SandboxSnapshot> sandboxes(int... ids) {
    List<SandboxSnapshot> out = new ArrayList<>();
    for (int id : ids) {
      out.add(sandbox(id, "sb" + id));
    }
    return out;
  }

  @Test
  void attachesEachSandboxsLabelsSortedByKey() {
    TestCatalog.createIn(msbHome)
        .put(1, "web", Map.of("tier", "web", "user.id", "alice", "app", "shop"))
        .put(2, "db", Map.of("tier", "db"))
        .put(3, "plain", Map.of());

    Map<Integer, Map<String, String>> labels = labelsFor(sandboxes(1, 2, 3, 4));

    assertThat(labels).containsOnlyKeys(1, 2).containsEntry(2, Map.of("tier", "db"));
    assertThat(labels.get(1))
        .containsExactly(
            Map.entry("app", "shop"), Map.entry("tier", "web"), Map.entry("user.id", "alice"));
    assertThatThrownBy(() -> labels.get(1).put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(log.at(Level.WARN)).isEmpty();
  }

  @Test
  void prefersActiveConfigAndFallsBackToConfigWhenItIsNull() {
    TestCatalog catalog =
        TestCatalog.createIn(msbHome)
            .put(
                1,
                "a",
                TestCatalog.config(Map.of("v", "configured")),
                TestCatalog.config(Map.of("v", "active")))
            .put(2, "b", TestCatalog.config(Map.of("v", "configured")), null);

    assertThat(labelsFor(sandboxes(1, 2)))
        .containsEntry(1, Map.of("v", "active"))
        .containsEntry(2, Map.of("v", "configured"));

    // an active config without labels wins over config's labels: it is what is running
    catalog.setActiveConfig(2, "{\"image\":\"alpine\"}");
    catalog.setActiveConfig(1, null);
    assertThat(labelsFor(sandboxes(1, 2)))
        .containsOnlyKeys(1)
        .containsEntry(1, Map.of("v", "configured"));
  }

  @Test
  void picksUpAConfigChangeAndKeepsTheSameMapWhileLabelsAreUnchanged() {
    TestCatalog catalog = TestCatalog.createIn(msbHome).put(1, "a", Map.of("tier", "web"));
    catalog.put(2, "b", Map.of("tier", "db"));

    Map<Integer, SandboxMetadata> firstTick = source.metadataFor(sandboxes(1, 2));
    Map<String, String> first = firstTick.get(1).labels();
    assertThat(source.metadataFor(sandboxes(1, 2))).isSameAs(firstTick);

    // a change elsewhere in the config (new image): same labels, same instance
    catalog.setConfig(1, TestCatalog.config(Map.of("tier", "web"), "alpine:3.21"));
    assertThat(labelsFor(sandboxes(1, 2)).get(1)).isSameAs(first);

    catalog.setConfig(1, TestCatalog.config(Map.of("tier", "batch")));
    Map<Integer, Map<String, String>> changed = labelsFor(sandboxes(1, 2));
    assertThat(changed.get(1)).isEqualTo(Map.of("tier", "batch"));
    assertThat(changed.get(2)).isEqualTo(Map.of("tier", "db"));
  }

  @Test
  void looksUpASandboxThatAppearsWhileTheCatalogIsUnchanged() {
    TestCatalog.createIn(msbHome).put(1, "a", Map.of("k", "1")).put(2, "b", Map.of("k", "2"));

    assertThat(labelsFor(sandboxes(1))).containsOnlyKeys(1);
    assertThat(labelsFor(sandboxes(1, 2)))
        .containsEntry(1, Map.of("k", "1"))
        .containsEntry(2, Map.of("k", "2"));
  }

  @Test
  void forgetsASandboxThatLeftTheRegistry() {
    TestCatalog.createIn(msbHome).put(1, "a", Map.of("k", "1")).put(2, "b", Map.of("k", "2"));
    Map<String, String> before = labelsFor(sandboxes(1, 2)).get(1);

    assertThat(labelsFor(sandboxes(2))).containsOnlyKeys(2);
    Map<String, String> after = labelsFor(sandboxes(1, 2)).get(1);

    // evicted: read and parsed afresh on its return, not served from the old entry
    assertThat(after).isEqualTo(before).isNotSameAs(before);
  }

  @Test
  void withholdsExcludedKeys() {
    TestCatalog.createIn(msbHome)
        .put(1, "a", Map.of("tier", "web", "secret", "s3cr3t", "owner", "bob"));
    source.close();
    source =
        newSource(
            CatalogMetadataSource.builder()
                .excludeLabelKey("secret")
                .excludeLabelKeys(List.of("owner")));

    assertThat(labelsFor(sandboxes(1))).containsEntry(1, Map.of("tier", "web"));
    assertThat(log.at(Level.WARN)).isEmpty();
  }

  @Test
  void withholdsLabelsThatWouldOverrideIdentityAttributesAndWarnsOnce() {
    TestCatalog.createIn(msbHome)
        .put(1, "a", Map.of("sandbox.name", "impostor", "sandbox.id", "9", "tier", "web"));

    for (int tick = 0; tick < 3; tick++) {
      assertThat(labelsFor(sandboxes(1))).containsEntry(1, Map.of("tier", "web"));
    }
    assertThat(log.at(Level.WARN))
        .hasSize(2)
        .anySatisfy(w -> assertThat(w).contains("\"sandbox.name\"", "identity"))
        .anySatisfy(w -> assertThat(w).contains("\"sandbox.id\""));
  }

  @Test
  void badJsonInOneRowAffectsOnlyThatRow() {
    TestCatalog.createIn(msbHome)
        .put(1, "good", Map.of("tier", "web"))
        .put(2, "broken", "{\"labels\": {\"tier\": \"db\"", null)
        .put(3, "numbers", "{\"labels\": {\"tier\": \"cache\", \"replicas\": 3}}", null)
        .put(4, "good-too", Map.of("tier", "batch"));

    for (int tick = 0; tick < 3; tick++) {
      assertThat(labelsFor(sandboxes(1, 2, 3, 4)))
          .containsOnlyKeys(1, 3, 4)
          .containsEntry(1, Map.of("tier", "web"))
          .containsEntry(3, Map.of("tier", "cache"))
          .containsEntry(4, Map.of("tier", "batch"));
    }
    // once per bad config text, not once per tick
    assertThat(log.at(Level.WARN))
        .hasSize(2)
        .anySatisfy(w -> assertThat(w).contains("sb2", "malformed JSON"))
        .anySatisfy(w -> assertThat(w).contains("sb3", "\"replicas\"", "non-string"));
  }

  @Test
  void startsEnrichingByItselfWhenTheCatalogAppearsAfterStart() {
    for (int tick = 0; tick < 3; tick++) {
      assertThat(labelsFor(sandboxes(1))).isEmpty();
    }
    assertThat(Files.exists(source.catalogPath())).as("read-only: never creates it").isFalse();
    assertThat(log.at(Level.WARN)).singleElement().asString().contains("no catalog file");

    TestCatalog.createIn(msbHome).put(1, "a", Map.of("tier", "web"));

    assertThat(labelsFor(sandboxes(1))).containsEntry(1, Map.of("tier", "web"));
    assertThat(log.at(Level.INFO)).singleElement().asString().contains("available again");
    assertThat(log.at(Level.WARN)).hasSize(1);
  }

  @Test
  void retriesWhileTheTableIsMissing() {
    TestCatalog catalog = TestCatalog.at(msbHome.resolve("db/msb.db"));
    catalog.execute("CREATE TABLE other (x)");

    assertThat(labelsFor(sandboxes(1))).isEmpty();
    assertThat(labelsFor(sandboxes(1))).isEmpty();
    assertThat(log.at(Level.WARN)).singleElement().asString().contains("no such table");

    catalog.execute(TestCatalog.SCHEMA);
    catalog.put(1, "a", Map.of("tier", "web"));
    assertThat(labelsFor(sandboxes(1))).containsEntry(1, Map.of("tier", "web"));
  }

  @Test
  void keepsKnownLabelsWhileTheCatalogIsRemovedAndReadsItsReplacement() throws Exception {
    TestCatalog.createIn(msbHome).put(1, "a", Map.of("tier", "web"));
    assertThat(labelsFor(sandboxes(1))).containsEntry(1, Map.of("tier", "web"));

    Files.delete(source.catalogPath());
    for (int tick = 0; tick < 3; tick++) {
      // the known sandbox keeps its labels; the one never read has none yet
      assertThat(labelsFor(sandboxes(1, 2))).isEqualTo(Map.of(1, Map.of("tier", "web")));
    }
    assertThat(log.at(Level.WARN)).singleElement().asString().contains("no catalog file");

    TestCatalog.createIn(msbHome).put(1, "a", Map.of("tier", "new")).put(2, "b", Map.of("k", "v"));
    assertThat(labelsFor(sandboxes(1, 2)))
        .containsEntry(1, Map.of("tier", "new"))
        .containsEntry(2, Map.of("k", "v"));
    assertThat(log.at(Level.INFO)).hasSize(1);
  }

  @Test
  void readsACatalogReplacedUnderTheSamePathWithoutAnOutage() throws Exception {
    TestCatalog.createIn(msbHome).put(1, "a", Map.of("tier", "web"));
    assertThat(labelsFor(sandboxes(1))).containsEntry(1, Map.of("tier", "web"));

    Path replacement = msbHome.resolve("replacement/db/msb.db");
    TestCatalog.createIn(msbHome.resolve("replacement")).put(1, "a", Map.of("tier", "moved"));
    Files.move(replacement, source.catalogPath(), StandardCopyOption.REPLACE_EXISTING);

    assertThat(labelsFor(sandboxes(1))).containsEntry(1, Map.of("tier", "moved"));
    assertThat(log.at(Level.WARN)).isEmpty();
  }

  @Test
  void aLockedCatalogKeepsKnownSandboxesLabelsPromptlyAndRecoversAfterCommit() {
    TestCatalog catalog = TestCatalog.createIn(msbHome).put(1, "a", Map.of("tier", "web"));
    catalog.put(2, "b", Map.of("tier", "db"));
    assertThat(labelsFor(sandboxes(1))).containsEntry(1, Map.of("tier", "web"));

    try (TestCatalog.Lock lock = catalog.lockExclusively()) {
      lock.execute("UPDATE sandbox SET config = '{\"labels\":{\"tier\":\"batch\"}}' WHERE id = 1");
      for (int tick = 0; tick < 3; tick++) {
        Map<Integer, Map<String, String>> labels =
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> labelsFor(sandboxes(1, 2)));
        // sandbox 1 keeps the labels last read (no switch to unlabelled and back); sandbox 2
        // was never read, so it has none until the lock is gone
        assertThat(labels).isEqualTo(Map.of(1, Map.of("tier", "web")));
      }
      assertThat(log.at(Level.WARN)).singleElement().asString().contains("locked");
    }

    assertThat(labelsFor(sandboxes(1, 2)))
        .containsEntry(1, Map.of("tier", "batch"))
        .containsEntry(2, Map.of("tier", "db"));
    assertThat(log.at(Level.INFO)).singleElement().asString().contains("available again");
  }

  @Test
  void readsAWalCatalogWithNoWriterAroundAndWhileAWriterIsMidTransaction() throws Exception {
    // microsandbox's catalog is in WAL mode: readers are not blocked by a writer
    TestCatalog catalog = TestCatalog.createIn(msbHome);
    catalog.execute("PRAGMA journal_mode=WAL");
    catalog.put(1, "a", Map.of("tier", "web"));
    assertThat(labelsFor(sandboxes(1))).containsEntry(1, Map.of("tier", "web"));

    try (TestCatalog.Lock lock = catalog.lockExclusively()) {
      lock.execute("UPDATE sandbox SET config = '{\"labels\":{\"tier\":\"batch\"}}' WHERE id = 1");
      assertThat(labelsFor(sandboxes(1))).containsEntry(1, Map.of("tier", "web"));
    }
    assertThat(labelsFor(sandboxes(1))).containsEntry(1, Map.of("tier", "batch"));
    assertThat(log.at(Level.WARN)).isEmpty();
  }

  @Test
  void survivesACorruptCatalog() throws Exception {
    TestCatalog.at(msbHome.resolve("db/msb.db"));
    Files.write(
        source.catalogPath(),
        "this is not a database, just some text long enough to look like a header"
            .repeat(100)
            .getBytes(StandardCharsets.UTF_8));

    assertThat(labelsFor(sandboxes(1))).isEmpty();
    assertThat(labelsFor(sandboxes(1))).isEmpty();
    assertThat(log.at(Level.WARN)).singleElement().asString().contains("not a database");
  }

  @Test
  void handlesTheSameSandboxInTwoSlots() {
    TestCatalog.createIn(msbHome).put(7, "a", Map.of("k", "v"));
    SandboxSnapshot stale = sandbox(7, "a").toBuilder().slot(0).state(SlotState.STALE).build();
    SandboxSnapshot active = sandbox(7, "a").toBuilder().slot(1).build();

    assertThat(labelsFor(List.of(stale, active))).containsOnlyKeys(7);
  }

  @Test
  void readsAThousandSandboxesInOneTick() {
    TestCatalog catalog = TestCatalog.createIn(msbHome);
    catalog.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)"
            + " INSERT INTO sandbox (id, name, config) SELECT i, 'sb' || i,"
            + " '{\"labels\":{\"n\":\"' || i || '\"}}' FROM n");
    int[] ids = new int[1000];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i + 1;
    }

    Map<Integer, Map<String, String>> labels = labelsFor(sandboxes(ids));

    assertThat(labels).hasSize(1000);
    assertThat(labels.get(1)).isEqualTo(Map.of("n", "1"));
    assertThat(labels.get(1000)).isEqualTo(Map.of("n", "1000"));
  }

  @Test
  void returnsNothingOnceClosed() {
    TestCatalog.createIn(msbHome).put(1, "a", Map.of("k", "v"));
    source.close();

    assertThat(source.metadataFor(sandboxes(1))).isEmpty();
  }

  @Test
  void aRowOverTheSizeLimitIsSkippedForThatSandboxWithOneWarning() {
    source.close();
    source = newSource(CatalogMetadataSource.builder().maxRowBytes(4096));
    String huge = TestCatalog.config(Map.of("team", "x".repeat(8192)));
    TestCatalog catalog =
        TestCatalog.createIn(msbHome).put(1, "big", huge, null).put(2, "fine", Map.of("k", "v"));

    for (int tick = 0; tick < 3; tick++) {
      Map<Integer, SandboxMetadata> m = source.metadataFor(sandboxes(1, 2));
      assertThat(m).doesNotContainKey(1);
      assertThat(m.get(2).labels()).isEqualTo(Map.of("k", "v"));
      catalog.put(3, "unrelated", Map.of()); // a commit: the rows are read again
    }
    assertThat(log.at(Level.WARN))
        .singleElement()
        .asString()
        .contains("sandbox sb1 (id 1) skipped")
        .contains("over the row limit of 4096 bytes");

    // fixed: read again, labels back
    catalog.put(1, "big", Map.of("team", "infra"));
    assertThat(source.metadataFor(sandboxes(1, 2)).get(1).labels())
        .isEqualTo(Map.of("team", "infra"));
  }

  @Test
  void aRowOverTheDefaultLimitNeverReachesTheJvm() {
    // active_config over the default limit (1 MiB); config small: the effective one counts
    String huge = TestCatalog.config(Map.of("team", "y".repeat(3 * 1024 * 1024)));
    TestCatalog.createIn(msbHome).put(1, "big", TestCatalog.config(Map.of("k", "v")), huge);

    assertThat(source.metadataFor(sandboxes(1))).isEmpty();
    assertThat(log.at(Level.WARN))
        .singleElement()
        .asString()
        .contains("over the row limit of " + CatalogMetadataSource.DEFAULT_MAX_ROW_BYTES);
  }

  @Test
  void builderRejectsMissingPathAndLongBusyTimeouts() {
    assertThatThrownBy(() -> CatalogMetadataSource.builder().build())
        .isInstanceOfSatisfying(
            InvalidSettingException.class, e -> assertThat(e.setting()).isEqualTo("msbHome"))
        .hasMessageContaining("msbHome");
    assertThatThrownBy(() -> CatalogMetadataSource.builder().busyTimeout(Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(
            InvalidSettingException.class, e -> assertThat(e.setting()).isEqualTo("busyTimeout"))
        .hasMessageContaining("busyTimeout");
    assertThatThrownBy(() -> CatalogMetadataSource.builder().busyTimeout(null))
        .isInstanceOf(InvalidSettingException.class);
    assertThatThrownBy(() -> CatalogMetadataSource.builder().maxRowBytes(0))
        .isInstanceOfSatisfying(
            InvalidSettingException.class, e -> assertThat(e.setting()).isEqualTo("maxRowBytes"));
    assertThat(
            CatalogMetadataSource.builder().catalogPath(Path.of("/x/y.db")).build().catalogPath())
        .isEqualTo(Path.of("/x/y.db"));
  }
}
