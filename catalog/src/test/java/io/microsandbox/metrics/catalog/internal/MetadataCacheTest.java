package io.microsandbox.metrics.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.catalog.RecordingLogger;
import io.microsandbox.metrics.collector.SandboxMetadata;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class MetadataCacheTest {
  private final RecordingLogger log = new RecordingLogger();
  private final MetadataCache cache =
      new MetadataCache(new ConfigParser(true, Set.of(), Set.of()), log);

  private Map<String, String> labels(int id) {
    return cache.metadata().get(id).labels();
  }

  @Test
  void remembersRowsWithoutLabelsSoTheyAreNotLookedUpAgain() {
    cache.update(1, "a", "{\"labels\":{\"k\":\"v\"}}");
    cache.update(2, "b", null);

    assertThat(cache.unknown(List.of(1, 2, 3))).containsExactly(3);
    assertThat(cache.metadata()).containsOnlyKeys(1);
    assertThat(labels(1)).isEqualTo(Map.of("k", "v"));
  }

  @Test
  void evictsIdsNotRetained() {
    cache.update(1, "a", "{\"labels\":{\"k\":\"v\"}}");
    cache.update(2, "b", "{\"labels\":{\"k\":\"w\"}}");
    assertThat(cache.metadata()).containsOnlyKeys(1, 2);

    cache.retainOnly(Set.of(2));

    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.unknown(List.of(1, 2))).containsExactly(1);
    assertThat(cache.metadata()).containsOnlyKeys(2);
  }

  @Test
  void returnsTheSameImmutableMapUntilSomethingChanges() {
    cache.update(1, "a", "{\"labels\":{\"k\":\"v\"}}");
    cache.update(2, "b", null);
    Map<Integer, SandboxMetadata> first = cache.metadata();

    cache.retainOnly(Set.of(1, 2));
    cache.update(1, "a", "{\"image\":\"new\",\"labels\":{\"k\":\"v\"}}");
    assertThat(cache.metadata()).isSameAs(first);
    assertThat(Map.copyOf(first)).as("collections can keep it without a copy").isSameAs(first);

    cache.update(2, "b", "{\"labels\":{\"k\":\"w\"}}");
    assertThat(cache.metadata()).isNotSameAs(first).containsOnlyKeys(1, 2);
  }

  @Test
  void reparsesOnlyWhenTheTextChangesAndWarnsOncePerBadText() {
    cache.update(1, "a", "{bad");
    cache.update(1, "a", "{bad");
    assertThat(log.at(Level.WARN)).hasSize(1);

    cache.update(1, "a", "{\"labels\":{\"k\":\"v\"}}");
    SandboxMetadata first = cache.metadata().get(1);
    cache.update(1, "a", "{\"image\":\"other\",\"labels\":{\"k\":\"v\"}}");

    assertThat(cache.metadata().get(1)).isSameAs(first);
    cache.update(1, "a", "{bad again");
    assertThat(log.at(Level.WARN)).hasSize(2);
    assertThat(cache.metadata()).isEmpty();
  }

  @Test
  void aResizeIsANewAllocationThatKeepsSharingTheLabelMap() {
    cache.update(1, "a", "{\"resources\":{\"memory_mib\":512},\"labels\":{\"k\":\"v\"}}");
    SandboxMetadata before = cache.metadata().get(1);

    cache.update(1, "a", "{\"resources\":{\"memory_mib\":1024},\"labels\":{\"k\":\"v\"}}");
    SandboxMetadata after = cache.metadata().get(1);

    assertThat(after.allocation().memoryMib()).isEqualTo(1024);
    assertThat(after.labels()).isSameAs(before.labels());
  }

  @Test
  void aSandboxWithAnAllocationButNoLabelsIsKept() {
    cache.update(1, "a", "{\"resources\":{\"cpus\":2}}");

    assertThat(cache.metadata().get(1).labels()).isEmpty();
    assertThat(cache.metadata().get(1).allocation().cpus()).isEqualTo(2);
  }
}
