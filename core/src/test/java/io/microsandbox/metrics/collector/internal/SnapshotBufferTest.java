package io.microsandbox.metrics.collector.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SnapshotBufferTest {
  private final IdentityInterner interner = new IdentityInterner();

  private CompactCollection c(long t) {
    return CompactCollection.encode(t, List.of(), Map.of(), interner);
  }

  private static List<Long> times(SnapshotBuffer.Taken t) {
    return t.collections().stream()
        .map(CompactCollection::collectedAtMs)
        .collect(Collectors.toList());
  }

  @Test
  void dropsTheOldestWhenFullAndCountsEveryDrop() {
    SnapshotBuffer b = new SnapshotBuffer(3);
    assertThat(b.offer(c(1))).isZero();
    b.offer(c(2));
    b.offer(c(3));
    assertThat(b.offer(c(4))).isEqualTo(1);
    assertThat(b.offer(c(5))).isEqualTo(1);

    SnapshotBuffer.Taken t = b.takeAll();
    assertThat(times(t)).containsExactly(3L, 4L, 5L);
    assertThat(t.dropped()).isEqualTo(2);
    assertThat(b.droppedTotal()).isEqualTo(2);

    b.offer(c(6));
    SnapshotBuffer.Taken next = b.takeAll();
    assertThat(next.dropped()).as("drops are reported once").isZero();
    assertThat(times(next)).containsExactly(6L);
  }

  @Test
  void restoresAFailedBatchInFrontOfNewerCollectionsInOrder() {
    SnapshotBuffer b = new SnapshotBuffer(10);
    b.offer(c(1));
    b.offer(c(2));
    SnapshotBuffer.Taken failed = b.takeAll();
    b.offer(c(3));

    assertThat(b.restore(failed)).isZero();

    assertThat(times(b.takeAll())).containsExactly(1L, 2L, 3L);
  }

  @Test
  void restoreEnforcesTheCapDroppingTheOldestAndKeepsEarlierDropCounts() {
    SnapshotBuffer b = new SnapshotBuffer(3);
    for (long t = 1; t <= 4; t++) {
      b.offer(c(t)); // 1 dropped
    }
    SnapshotBuffer.Taken failed = b.takeAll(); // 2,3,4 + 1 drop
    b.offer(c(5));
    b.offer(c(6));

    assertThat(b.restore(failed)).isEqualTo(2);

    SnapshotBuffer.Taken t = b.takeAll();
    assertThat(times(t)).containsExactly(4L, 5L, 6L);
    assertThat(t.dropped()).isEqualTo(3);
    assertThat(b.droppedTotal()).isEqualTo(3);
  }

  @Test
  void rejectsACapacityBelowOne() {
    assertThatThrownBy(() -> new SnapshotBuffer(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }
}
