package io.microsandbox.metrics.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.catalog.RecordingLogger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class LabelCacheTest {
  private final RecordingLogger log = new RecordingLogger();
  private final LabelCache cache = new LabelCache(new LabelParser(Set.of(), Set.of()), log);

  @Test
  void remembersRowsWithoutLabelsSoTheyAreNotLookedUpAgain() {
    cache.update(1, "a", "{\"labels\":{\"k\":\"v\"}}");
    cache.update(2, "b", null);

    assertThat(cache.unknown(List.of(1, 2, 3))).containsExactly(3);
    assertThat(cache.labels()).isEqualTo(Map.of(1, Map.of("k", "v")));
  }

  @Test
  void evictsIdsNotRetained() {
    cache.update(1, "a", "{\"labels\":{\"k\":\"v\"}}");
    cache.update(2, "b", "{\"labels\":{\"k\":\"w\"}}");
    assertThat(cache.labels()).containsOnlyKeys(1, 2);

    cache.retainOnly(Set.of(2));

    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.unknown(List.of(1, 2))).containsExactly(1);
    assertThat(cache.labels()).containsOnlyKeys(2);
  }

  @Test
  void returnsTheSameImmutableMapUntilSomethingChanges() {
    cache.update(1, "a", "{\"labels\":{\"k\":\"v\"}}");
    cache.update(2, "b", null);
    Map<Integer, Map<String, String>> first = cache.labels();

    cache.retainOnly(Set.of(1, 2));
    cache.update(1, "a", "{\"image\":\"new\",\"labels\":{\"k\":\"v\"}}");
    assertThat(cache.labels()).isSameAs(first);
    assertThat(Map.copyOf(first)).as("collections can keep it without a copy").isSameAs(first);

    cache.update(2, "b", "{\"labels\":{\"k\":\"w\"}}");
    assertThat(cache.labels()).isNotSameAs(first).containsOnlyKeys(1, 2);
  }

  @Test
  void reparsesOnlyWhenTheTextChangesAndWarnsOncePerBadText() {
    cache.update(1, "a", "{bad");
    cache.update(1, "a", "{bad");
    assertThat(log.at(Level.WARN)).hasSize(1);

    cache.update(1, "a", "{\"labels\":{\"k\":\"v\"}}");
    Map<String, String> first = cache.labels().get(1);
    cache.update(1, "a", "{\"image\":\"other\",\"labels\":{\"k\":\"v\"}}");

    assertThat(cache.labels().get(1)).isSameAs(first);
    cache.update(1, "a", "{bad again");
    assertThat(log.at(Level.WARN)).hasSize(2);
    assertThat(cache.labels()).isEmpty();
  }
}
