package io.microsandbox.metrics.spool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.collector.spool.SpoolInUseException;
import io.microsandbox.metrics.collector.spool.SpoolSettings;
import io.microsandbox.metrics.collector.spool.SpoolStats;
import io.microsandbox.metrics.collector.spool.SpooledCollection;
import io.microsandbox.metrics.collector.testing.Samples;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The disk spool on real files: round trips, recovery, caps, locking and write failures. */
@Timeout(30)
class DiskSpoolTest {
  private static final long T0 = 1_780_000_000_000L;

  @TempDir Path tmp;
  private final AtomicLong now = new AtomicLong(T0);
  private final List<DiskSpool> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(DiskSpool::close);
  }

  private SpoolSettings settings(long maxBytes, Duration maxAge) {
    return new SpoolSettings(tmp.resolve("otlp"), maxBytes, maxAge, SpoolSettings.SYNC_ALWAYS);
  }

  private DiskSpool open() {
    return open(settings(SpoolSettings.DEFAULT_MAX_BYTES, Duration.ofHours(1)));
  }

  private DiskSpool open(SpoolSettings s) {
    DiskSpool spool = DiskSpool.open("otlp", s, now::get);
    opened.add(spool);
    return spool;
  }

  /**
   * Collection {@code i}: 5 sandboxes at tick i; sandbox 3 restarts every 10 ticks, labelled;
   * sandbox 2's allocation is known and it is resized live at tick 50.
   */
  static SnapshotCollection collection(int i) {
    long at = T0 + 1000L * i;
    List<SandboxSnapshot> samples = new ArrayList<>();
    for (int id = 1; id <= 5; id++) {
      SandboxSnapshot s = Samples.sample(id, at - 7 * id);
      if (id == 3) {
        s = s.toBuilder().runId(i / 10).build();
      }
      samples.add(s);
    }
    return new SnapshotCollection(
        at,
        samples,
        Map.of(3, Map.of("team", "a", "tier", "" + i / 7)),
        Map.of(2, new Allocation(2, i < 50 ? 512 : 1024, 4, 2048, 1000, false)));
  }

  /** A collection of {@code n} sandboxes at tick i, about 40 bytes each. */
  static SnapshotCollection wide(int i, int n) {
    long at = T0 + 1000L * i;
    List<SandboxSnapshot> samples = new ArrayList<>();
    for (int id = 1; id <= n; id++) {
      samples.add(Samples.sample(id, at - id));
    }
    return SnapshotCollection.of(at, samples);
  }

  private SpoolSettings lazySettings(long maxBytes) {
    return new SpoolSettings(
        tmp.resolve("otlp"), maxBytes, Duration.ofHours(1), SpoolSettings.DEFAULT_SYNC_INTERVAL);
  }

  private static List<Long> times(List<SpooledCollection> read) {
    return read.stream().map(c -> c.collection().collectedAtMs()).collect(Collectors.toList());
  }

  private List<SpooledCollection> readAll(DiskSpool s) throws IOException {
    return s.readAfter(-1, Integer.MAX_VALUE);
  }

  @Test
  void roundTripsAcrossKeyframesAndReopen() throws IOException {
    DiskSpool s = open();
    List<Long> seqs = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      seqs.add(s.append(collection(i)));
    }
    assertThat(seqs).isSorted().doesNotHaveDuplicates();
    List<SpooledCollection> read = readAll(s);
    for (int i = 0; i < 150; i++) {
      assertThat(read.get(i).collection()).isEqualTo(collection(i));
    }
    // a read in the middle of a keyframe group decodes from its keyframe
    assertThat(s.readAfter(seqs.get(99), 1).get(0).collection()).isEqualTo(collection(100));
    s.close();

    DiskSpool again = open();
    assertThat(readAll(again))
        .extracting(SpooledCollection::collection)
        .isEqualTo(read.stream().map(SpooledCollection::collection).collect(Collectors.toList()));
    assertThat(again.append(collection(150))).isGreaterThan(seqs.get(149));
  }

  @Test
  void removedEntriesStayRemovedAndEmptySegmentsAreDeleted() throws IOException {
    DiskSpool s = open(lazySettings(SpoolSettings.MIN_MAX_BYTES));
    List<Long> seqs = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      seqs.add(s.append(wide(i, 20)));
    }
    long segmentsBefore = segmentFiles().size();
    assertThat(segmentsBefore).isGreaterThan(2);
    for (int i = 0; i < 300; i++) {
      s.remove(seqs.get(i));
    }
    s.remove(seqs.get(350)); // out of order, as a partly accepted batch would
    assertThat(segmentFiles().size()).isLessThan((int) segmentsBefore);
    s.close();

    DiskSpool again = open(lazySettings(SpoolSettings.MIN_MAX_BYTES));
    List<SpooledCollection> read = readAll(again);
    assertThat(read).hasSize(99);
    assertThat(read.get(0).collection()).isEqualTo(wide(300, 20));
    assertThat(times(read)).doesNotContain(wide(350, 20).collectedAtMs());
    assertThat(again.stats(now.get()).droppedCapacity()).isZero();
  }

  /** Ten collections written and the spool closed; the path of its one segment. */
  private Path tenCollectionsClosed() throws IOException {
    DiskSpool s = open();
    for (int i = 0; i < 10; i++) {
      s.append(collection(i));
    }
    s.close();
    return segmentFiles().get(0);
  }

  @Test
  void tornLastRecordIsCutOffCountedAndTheRestDelivered() throws IOException {
    Path seg = tenCollectionsClosed();
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.setLength(f.length() - 3); // a crash in the middle of the last write
    }
    DiskSpool again = open();
    assertThat(times(readAll(again))).hasSize(9).isSorted();
    assertThat(again.stats(now.get()).corruptSkipped()).isEqualTo(1);
    again.close();
    // cut off for good: the next start finds nothing more to skip
    assertThat(open().stats(now.get()).corruptSkipped()).isZero();
  }

  @Test
  void corruptLastRecordIsDetectedByItsChecksum() throws IOException {
    Path seg = tenCollectionsClosed();
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.seek(f.length() - 5);
      int b = f.read();
      f.seek(f.length() - 5);
      f.write(b ^ 0x5A);
    }
    DiskSpool again = open();
    List<SpooledCollection> read = readAll(again);
    assertThat(read).hasSize(9);
    assertThat(read.get(8).collection()).isEqualTo(collection(8));
    assertThat(again.stats(now.get()).corruptSkipped()).isEqualTo(1);
  }

  @Test
  void truncatedFileAndDirectoryOfGarbageAreMovedAsideAndTheSpoolStarts() throws IOException {
    Path dir = tmp.resolve("otlp");
    Files.createDirectories(dir);
    Files.write(dir.resolve("seg-00000000000000000000.log"), "garbage, not a spool".getBytes());
    Files.write(dir.resolve("seg-00000000000000000007.log"), new byte[5]); // torn header
    Files.write(
        dir.resolve("acks"),
        new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17});
    Files.write(dir.resolve("notes.txt"), "hello".getBytes());
    DiskSpool s = open();
    assertThat(readAll(s)).isEmpty();
    assertThat(s.stats(now.get()).corruptSkipped()).isEqualTo(2);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(f -> f.startsWith("seg-00000000000000000000.log.unreadable-"))
          .anyMatch(f -> f.startsWith("acks.unreadable-"));
    }
    long seq = s.append(collection(1));
    assertThat(s.readAfter(seq - 1, 10)).hasSize(1);
  }

  @Test
  void otherFormatVersionIsMovedAsideWithItsVersion() throws IOException {
    DiskSpool s = open();
    s.append(collection(1));
    s.close();
    Path seg = segmentFiles().get(0);
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.seek(8);
      f.writeInt(2);
    }
    DiskSpool again = open();
    assertThat(readAll(again)).isEmpty();
    assertThat(Files.exists(seg)).isFalse();
  }

  @Test
  void unreadableDirectoryIsMovedAsideAndTheSpoolStartsEmpty() throws IOException {
    Path dir = tmp.resolve("otlp");
    Files.writeString(dir, "a file where the directory should be");
    DiskSpool s = open();
    assertThat(s.append(collection(1))).isGreaterThanOrEqualTo(0);
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(f -> f.startsWith("otlp.unreadable-"));
    }
  }

  @Test
  void fullByBytesDropsTheOldestSegmentWithAnExactCount() throws IOException {
    DiskSpool s = open(lazySettings(SpoolSettings.MIN_MAX_BYTES));
    int appended = 800;
    for (int i = 0; i < appended; i++) {
      s.append(wide(i, 50));
    }
    SpoolStats st = s.stats(now.get());
    assertThat(st.bytes()).isLessThanOrEqualTo(SpoolSettings.MIN_MAX_BYTES);
    assertThat(st.droppedCapacity()).isPositive();
    assertThat(st.collections() + st.droppedCapacity()).isEqualTo(appended);
    List<SpooledCollection> read = readAll(s);
    assertThat(read).hasSize((int) st.collections());
    // what is left is the newest, contiguous
    assertThat(read.get(read.size() - 1).collection()).isEqualTo(wide(appended - 1, 50));
    assertThat(read.get(0).collection()).isEqualTo(wide((int) (appended - st.collections()), 50));
  }

  @Test
  void fullByAgeDropsEachEntryOlderThanTheCapWithAnExactCount() throws IOException {
    DiskSpool s = open(settings(SpoolSettings.DEFAULT_MAX_BYTES, Duration.ofSeconds(30)));
    for (int i = 0; i < 100; i++) {
      now.set(T0 + 1000L * i);
      s.append(collection(i)); // collected at T0 + i s
    }
    // at T0 + 99 s, entries collected before T0 + 69 s are too old: 0..68
    assertThat(s.stats(now.get()).droppedAge()).isEqualTo(69);
    now.set(T0 + 1000L * 109);
    List<SpooledCollection> read = readAll(s);
    assertThat(s.stats(now.get()).droppedAge()).isEqualTo(79);
    assertThat(read.get(0).collection()).isEqualTo(collection(79));
    assertThat(read).hasSize(21);
    s.close();
    // dropped entries are not resurrected (nor counted again) by a restart
    DiskSpool again = open(settings(SpoolSettings.DEFAULT_MAX_BYTES, Duration.ofSeconds(30)));
    assertThat(readAll(again)).hasSize(21);
    assertThat(again.stats(now.get()).droppedAge()).isZero();
  }

  @Test
  void anEntryACapDropsWhileItIsBeingExportedCountsOnlyIfItIsNotDelivered() throws IOException {
    DiskSpool s = open(settings(SpoolSettings.DEFAULT_MAX_BYTES, Duration.ofSeconds(30)));
    List<Long> seqs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      seqs.add(s.append(collection(i)));
    }
    s.exporting(seqs.get(4)); // 0..4 in a request
    now.set(T0 + 100_000);
    s.append(collection(95)); // the age cap drops 0..9 meanwhile
    assertThat(s.stats(now.get()).droppedAge()).as("5..9 were not in the request").isEqualTo(5);
    for (int i = 0; i < 3; i++) {
      s.remove(seqs.get(i)); // 0..2 delivered
    }
    s.exporting(-1); // 3 and 4 were not
    assertThat(s.stats(now.get()).droppedAge()).isEqualTo(7);
    s.exporting(-1);
    assertThat(s.stats(now.get()).droppedAge()).isEqualTo(7);
  }

  @Test
  void secondOpenOfTheSameDirectoryIsRefused() {
    open();
    assertThatThrownBy(this::open)
        .isInstanceOf(SpoolInUseException.class)
        .hasMessageContaining(tmp.resolve("otlp").toString())
        .hasMessageContaining("in use");
  }

  @Test
  void unwritableDirectoryCountsErrorsAndRecoversByItself() throws IOException {
    // a regular file where the spool's parent directory should be: no directory can be made there
    // (permissions would not stop root, this does)
    Path parent = tmp.resolve("blocked");
    Files.writeString(parent, "not a directory");
    DiskSpool s =
        open(
            new SpoolSettings(
                parent.resolve("otlp"),
                SpoolSettings.DEFAULT_MAX_BYTES,
                Duration.ofHours(1),
                SpoolSettings.SYNC_ALWAYS));
    assertThatThrownBy(() -> s.append(collection(1))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> s.append(collection(2))).isInstanceOf(IOException.class);
    assertThat(s.stats(now.get()).writeErrors()).isEqualTo(2);
    Files.delete(parent);
    Files.createDirectories(parent);
    now.addAndGet(10_000); // the next retry is due
    long seq = s.append(collection(3));
    assertThat(s.readAfter(seq - 1, 10))
        .extracting(SpooledCollection::collection)
        .containsExactly(collection(3));
  }

  @Test
  void injectedWriteErrorFailsOneAppendAndTheNextOnesWork() throws IOException {
    SimulatedDisk disk = new SimulatedDisk();
    DiskSpool s =
        DiskSpool.open(
            "otlp", settings(SpoolSettings.DEFAULT_MAX_BYTES, Duration.ofHours(1)), now::get, disk);
    opened.add(s);
    for (int i = 0; i < 5; i++) {
      s.append(collection(i));
    }
    disk.failWrites(true);
    assertThatThrownBy(() -> s.append(collection(5))).hasMessageContaining("No space");
    disk.failWrites(false);
    for (int i = 6; i < 10; i++) {
      s.append(collection(i));
    }
    assertThat(s.stats(now.get()).writeErrors()).isEqualTo(1);
    s.close();
    DiskSpool again = open();
    assertThat(readAll(again))
        .extracting(SpooledCollection::collection)
        .containsExactly(
            collection(0),
            collection(1),
            collection(2),
            collection(3),
            collection(4),
            collection(6),
            collection(7),
            collection(8),
            collection(9));
    assertThat(again.stats(now.get()).corruptSkipped()).isZero();
  }

  private List<Path> segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(tmp.resolve("otlp"))) {
      return files
          .filter(p -> p.getFileName().toString().matches("seg-\\d+\\.log"))
          .sorted()
          .collect(Collectors.toList());
    }
  }
}
