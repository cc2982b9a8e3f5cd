package io.microsandbox.metrics.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.collector.spool.SpoolSettings;
import io.microsandbox.metrics.collector.spool.SpooledCollection;
import io.microsandbox.metrics.collector.testing.Samples;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * The spool against an in-memory model of the README's promises ("Durable spool"), over random
 * histories of appends, removals, clock steps, clean restarts and power losses (every byte not
 * forced forgotten, or a random part of it: a torn write), on {@link SimulatedDisk}:
 *
 * <ul>
 *   <li>what is read back was appended, under that sequence number, value for value;
 *   <li>nothing forced to disk and not removed is lost, unless older than the age cap; with sync
 *       always that is every append, with a sync interval every append followed by another one at
 *       least that interval later;
 *   <li>after a clean restart exactly the live entries younger than the age cap come back; after a
 *       power loss a removed entry may come back only if its removal was not yet forced;
 *   <li>sequence numbers grow and are not reused for anything that can still be on disk.
 * </ul>
 */
class DiskSpoolModelTest {
  private static final long T0 = 1_780_000_000_000L;
  private static final Duration MAX_AGE = Duration.ofSeconds(60);
  private static final long SYNC_MS = 1000;

  /** One step of a history. */
  sealed interface Op permits Append, Remove, Advance, Restart, PowerLoss {}

  /** Appends a collection of {@code sandboxes} sandboxes collected now. */
  record Append(int sandboxes) implements Op {}

  /** Removes the {@code pick}-th live entry (modulo their number), as a delivery would. */
  record Remove(int pick) implements Op {}

  /** Moves the clock on. */
  record Advance(int ms) implements Op {}

  /** Closes the spool cleanly and opens it again. */
  record Restart() implements Op {}

  /** Loses power and opens the spool again; {@code torn}: part of the unforced bytes survive. */
  record PowerLoss(long seed, boolean torn) implements Op {}

  @Provide
  Arbitrary<List<Op>> histories() {
    Arbitrary<Op> op =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(10, Arbitraries.integers().between(1, 4).map(Append::new)),
            net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(0, 1000).map(Remove::new)),
            net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(0, 3000).map(Advance::new)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(new Restart())),
            net.jqwik.api.Tuple.of(
                2,
                Arbitraries.longs()
                    .flatMap(
                        seed -> Arbitraries.of(true, false).map(t -> new PowerLoss(seed, t)))));
    return op.list().ofMinSize(1).ofMaxSize(40);
  }

  @Property(tries = 100, shrinking = ShrinkingMode.BOUNDED)
  void survivesExactlyWhatTheGuaranteesPromise(
      @ForAll("histories") List<Op> history, @ForAll boolean syncAlways) throws IOException {
    Path root = Files.createTempDirectory("spool-model");
    try {
      new Run(root, syncAlways).play(history);
    } finally {
      try (Stream<Path> files = Files.walk(root)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** What the model knows of one appended collection. */
  private static final class Known {
    final SnapshotCollection collection;
    final long appendedAtMs;
    boolean durable;
    boolean removed;
    boolean removalDurable;

    Known(SnapshotCollection collection, long appendedAtMs, boolean durable) {
      this.collection = collection;
      this.appendedAtMs = appendedAtMs;
      this.durable = durable;
    }
  }

  /** One history played against the spool and the model side by side. */
  private static final class Run {
    private final SimulatedDisk disk = new SimulatedDisk();
    private final SpoolSettings settings;
    private final boolean syncAlways;
    private long now = T0;
    private int made;
    private DiskSpool spool;
    private final TreeMap<Long, Known> known = new TreeMap<>();
    // sequence numbers at or below this must not be handed out again
    private long retired = -1;

    Run(Path root, boolean syncAlways) {
      this.syncAlways = syncAlways;
      this.settings =
          new SpoolSettings(
              root.resolve("otlp"),
              SpoolSettings.DEFAULT_MAX_BYTES,
              MAX_AGE,
              syncAlways ? SpoolSettings.SYNC_ALWAYS : Duration.ofMillis(SYNC_MS));
      this.spool = open();
    }

    private DiskSpool open() {
      return DiskSpool.open("otlp", settings, () -> now, disk);
    }

    void play(List<Op> history) throws IOException {
      for (Op op : history) {
        if (op instanceof Append a) {
          append(a.sandboxes());
        } else if (op instanceof Remove r) {
          remove(r.pick());
        } else if (op instanceof Advance a) {
          now += a.ms();
        } else if (op instanceof Restart) {
          spool.close();
          known.values().forEach(k -> k.durable = true);
          known.values().forEach(k -> k.removalDurable = k.removed);
          reopenAndCheck(true);
        } else if (op instanceof PowerLoss p) {
          disk.crash(p.torn() ? new Random(p.seed()) : null);
          reopenAndCheck(false);
        }
      }
      spool.close();
      known.values().forEach(k -> k.durable = true);
      known.values().forEach(k -> k.removalDurable = k.removed);
      reopenAndCheck(true);
      spool.close();
    }

    private void append(int sandboxes) throws IOException {
      SnapshotCollection c = collection(made++, sandboxes, now);
      long seq = spool.append(c);
      assertThat(seq).as("a new sequence number").isGreaterThan(retired);
      if (!known.isEmpty()) {
        assertThat(seq).as("sequence numbers grow").isGreaterThan(known.lastKey());
      }
      // the sync policy: an append forces everything appended at least one interval before it
      for (Known k : known.values()) {
        if (!k.removed && now - k.appendedAtMs >= SYNC_MS) {
          k.durable = true;
        }
      }
      known.put(seq, new Known(c, now, syncAlways));
    }

    private void remove(int pick) {
      List<Long> live =
          known.entrySet().stream()
              .filter(e -> !e.getValue().removed)
              .map(Map.Entry::getKey)
              .toList();
      if (live.isEmpty()) {
        return;
      }
      long seq = live.get(pick % live.size());
      spool.remove(seq);
      known.get(seq).removed = true;
    }

    private void reopenAndCheck(boolean clean) throws IOException {
      spool = open();
      List<SpooledCollection> read = spool.readAfter(-1, Integer.MAX_VALUE);
      long cutoff = now - MAX_AGE.toMillis();
      TreeMap<Long, SnapshotCollection> back = new TreeMap<>();
      for (SpooledCollection sc : read) {
        back.put(sc.seq(), sc.collection());
        Known k = known.get(sc.seq());
        assertThat(k).as("entry %d was appended", sc.seq()).isNotNull();
        assertThat(sc.collection()).as("entry %d as appended", sc.seq()).isEqualTo(k.collection);
        assertThat(k.removalDurable).as("entry %d's removal was forced", sc.seq()).isFalse();
        assertThat(sc.collection().collectedAtMs())
            .as("entry %d is younger than the age cap", sc.seq())
            .isGreaterThanOrEqualTo(cutoff);
      }
      assertThat(read.stream().map(SpooledCollection::seq).toList())
          .as("read back oldest first")
          .isSorted()
          .doesNotHaveDuplicates();
      for (Map.Entry<Long, Known> e : known.entrySet()) {
        Known k = e.getValue();
        boolean young = k.collection.collectedAtMs() >= cutoff;
        if (k.durable && !k.removed && young) {
          assertThat(back).as("durable live entry %d survives", e.getKey()).containsKey(e.getKey());
        }
        if (clean && (k.removed || !young)) {
          assertThat(back)
              .as("removed or expired entry %d stays gone", e.getKey())
              .doesNotContainKey(e.getKey());
        }
      }
      // Sequence numbers that can still be on disk are not handed out again: what came back, and
      // after a clean stop everything (its removals were forced). A number whose record and
      // removal were both lost to a power loss may be reused: nothing refers to it any more.
      retired = clean && !known.isEmpty() ? known.lastKey() : -1;
      known.clear();
      for (Map.Entry<Long, SnapshotCollection> e : back.entrySet()) {
        known.put(e.getKey(), new Known(e.getValue(), now, true));
        retired = Math.max(retired, e.getKey());
      }
    }
  }

  /** A small collection, distinct for every {@code i}. */
  static SnapshotCollection collection(int i, int sandboxes, long at) {
    List<SandboxSnapshot> samples = new ArrayList<>();
    for (int id = 1; id <= sandboxes; id++) {
      samples.add(Samples.sample(id, at - id).toBuilder().runId(i).build());
    }
    return SnapshotCollection.of(at, samples);
  }
}
