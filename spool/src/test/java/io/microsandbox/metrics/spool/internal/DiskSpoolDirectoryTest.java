package io.microsandbox.metrics.spool.internal;

import static io.microsandbox.metrics.spool.internal.DiskSpoolTest.collection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.microsandbox.metrics.collector.spool.SpoolSettings;
import io.microsandbox.metrics.collector.spool.SpooledCollection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An entry of the spool directory that cannot be used costs only itself: it is moved aside alone
 * and every readable segment is delivered; nothing is opened through a symbolic link. Permission
 * cases go through {@link SimulatedDisk}: the tests run as root in CI, where a mode stops nothing.
 */
@Timeout(30)
class DiskSpoolDirectoryTest {
  private static final long T0 = 1_780_000_000_000L;

  @TempDir Path tmp;
  private final AtomicLong now = new AtomicLong(T0);
  private final List<DiskSpool> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(DiskSpool::close);
  }

  private Path dir() {
    return tmp.resolve("otlp");
  }

  private DiskSpool open(SpoolFileSystem fs) {
    DiskSpool s =
        DiskSpool.open(
            "otlp",
            new SpoolSettings(
                dir(), SpoolSettings.DEFAULT_MAX_BYTES, Duration.ofHours(1), Duration.ofSeconds(1)),
            now::get,
            fs);
    opened.add(s);
    return s;
  }

  private DiskSpool open() {
    return open(SpoolFileSystem.real());
  }

  /** Three segments of five collections each (0-4, 5-9, 10-14): every open starts a new one. */
  private List<Path> threeSegments() throws IOException {
    int i = 0;
    for (int seg = 0; seg < 3; seg++) {
      DiskSpool s = open();
      for (int k = 0; k < 5; k++) {
        s.append(collection(i++));
      }
      s.close();
    }
    List<Path> segs = entries(p -> p.matches("seg-\\d+\\.log"));
    assertThat(segs).hasSize(3);
    return segs;
  }

  private List<Path> entries(java.util.function.Predicate<String> name) throws IOException {
    try (Stream<Path> files = Files.list(dir())) {
      return files
          .filter(p -> name.test(p.getFileName().toString()))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static long entriesOf(Path d) throws IOException {
    try (Stream<Path> files = Files.list(d)) {
      return files.count();
    }
  }

  private static List<Long> times(List<SpooledCollection> read) {
    return read.stream().map(c -> c.collection().collectedAtMs()).collect(Collectors.toList());
  }

  private static List<Long> ticks(int... ranges) {
    List<Long> out = new ArrayList<>();
    for (int r = 0; r < ranges.length; r += 2) {
      for (int i = ranges[r]; i < ranges[r + 1]; i++) {
        out.add(collection(i).collectedAtMs());
      }
    }
    return out;
  }

  @Test
  void aSegmentReplacedByADirectoryIsMovedAsideAloneAndTheOthersDelivered() throws IOException {
    Path middle = threeSegments().get(1);
    Files.delete(middle);
    Files.createDirectories(middle.resolve("inside"));
    DiskSpool s = open();
    assertThat(times(s.readAfter(-1, 100))).isEqualTo(ticks(0, 5, 10, 15));
    assertThat(entries(n -> n.startsWith(middle.getFileName() + ".unreadable-"))).hasSize(1);
    assertThat(entriesOf(tmp)).as("the directory itself stays").isEqualTo(1);
    // new collections follow, numbered after everything seen
    long seq = s.append(collection(15));
    assertThat(seq).isGreaterThanOrEqualTo(15);
  }

  @Test
  void acksReplacedByADirectoryIsMovedAsideAloneAndEverySegmentDelivered() throws IOException {
    threeSegments();
    Path acks = dir().resolve(AcksLog.NAME);
    Files.delete(acks);
    Files.createDirectories(acks.resolve("inside"));
    DiskSpool s = open();
    assertThat(times(s.readAfter(-1, 100))).isEqualTo(ticks(0, 15));
    assertThat(entries(n -> n.startsWith("acks.unreadable-"))).hasSize(1);
    assertThat(Files.isRegularFile(acks)).as("a new acks log").isTrue();
  }

  @Test
  void aSegmentThatCannotBeOpenedIsMovedAsideAloneAndTheOthersDelivered() throws IOException {
    Path middle = threeSegments().get(1);
    SimulatedDisk disk = new SimulatedDisk();
    disk.deny(p -> p.equals(middle)); // mode 0000, as a non-root user meets it
    DiskSpool s = open(disk);
    assertThat(times(s.readAfter(-1, 100))).isEqualTo(ticks(0, 5, 10, 15));
    assertThat(entries(n -> n.startsWith(middle.getFileName() + ".unreadable-"))).hasSize(1);
  }

  @Test
  void readOnlySegmentsAreDeliveredAndRemoved() throws IOException {
    List<Path> segs = threeSegments();
    SimulatedDisk disk = new SimulatedDisk();
    disk.readOnly(segs::contains); // mode 0444
    DiskSpool s = open(disk);
    List<SpooledCollection> read = s.readAfter(-1, 100);
    assertThat(times(read)).isEqualTo(ticks(0, 15));
    read.forEach(c -> s.remove(c.seq()));
    assertThat(entries(n -> n.matches("seg-\\d+\\.log"))).isEmpty();
  }

  @Test
  void aReadOnlyDirectoryStillDeliversItsBacklog() throws IOException {
    threeSegments();
    SimulatedDisk disk = new SimulatedDisk();
    // mode 0500: the existing files open, nothing new can be created
    disk.readOnly(p -> p.startsWith(dir()) && !Files.exists(p));
    DiskSpool s = open(disk);
    assertThat(times(s.readAfter(-1, 100))).isEqualTo(ticks(0, 15));
    assertThatThrownBy(() -> s.append(collection(15))).isInstanceOf(IOException.class);
    assertThat(s.stats(now.get()).writeErrors()).isEqualTo(1);
    assertThat(entriesOf(tmp)).as("nothing moved aside").isEqualTo(1);
  }

  @Test
  void aLockThatIsADirectoryIsMovedAsideAndTheBacklogDelivered() throws IOException {
    threeSegments();
    Path lock = dir().resolve(SpoolDirectory.LOCK);
    Files.delete(lock);
    Files.createDirectories(lock);
    DiskSpool s = open();
    assertThat(times(s.readAfter(-1, 100))).isEqualTo(ticks(0, 15));
    assertThat(Files.isRegularFile(lock)).isTrue();
    assertThat(entries(n -> n.startsWith("LOCK.unreadable-"))).hasSize(1);
  }

  @Test
  void aDirectoryThatCannotBeReadIsMovedAsideOnceNotRetriedForever() throws IOException {
    threeSegments();
    Path marker = dir().resolve("sealed");
    Files.createFile(marker);
    SimulatedDisk disk = new SimulatedDisk();
    // mode 0000 on the directory: nothing in it can be listed or opened; the marker moves with it
    disk.deny(p -> p.startsWith(dir()) && Files.exists(marker));
    DiskSpool s = open(disk);
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(f -> f.startsWith("otlp.unreadable-"));
    }
    // usable at once, not after retries
    long seq = s.append(collection(20));
    assertThat(s.readAfter(seq - 1, 10)).hasSize(1);
    assertThat(s.stats(now.get()).writeErrors()).isZero();
  }

  @Test
  void symbolicLinksInTheDirectoryAreNeverFollowed() throws IOException {
    threeSegments();
    Path outside = tmp.resolve("precious.txt");
    Files.writeString(outside, "not the spool's");
    Path acksTmp = dir().resolve(AcksLog.TMP_NAME);
    Files.createSymbolicLink(acksTmp, outside);
    Path lock = dir().resolve(SpoolDirectory.LOCK);
    Files.delete(lock);
    Files.createSymbolicLink(lock, outside);
    Path elsewhere = tmp.resolve("elsewhere");
    Files.createDirectories(elsewhere);
    Path realSegment = entries(n -> n.matches("seg-\\d+\\.log")).get(2);
    Files.move(realSegment, elsewhere.resolve(realSegment.getFileName()));
    Files.createSymbolicLink(realSegment, elsewhere.resolve(realSegment.getFileName()));

    DiskSpool s = open();
    assertThat(times(s.readAfter(-1, 100)))
        .as("the linked segment is not read")
        .isEqualTo(ticks(0, 10));
    for (int i = 0; i < 10; i++) {
      s.remove(i); // written to the acks log, compacted at the next open
    }
    s.close();
    open().close();
    assertThat(Files.readString(outside)).isEqualTo("not the spool's");
    assertThat(Files.isSymbolicLink(lock)).isFalse();
    assertThat(Files.exists(elsewhere.resolve(realSegment.getFileName()))).isTrue();
  }
}
