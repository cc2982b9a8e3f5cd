package io.microsandbox.metrics.spool.internal;

import static io.microsandbox.metrics.spool.internal.DiskSpoolTest.collection;
import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.collector.spool.SpoolSettings;
import io.microsandbox.metrics.collector.spool.SpoolStats;
import io.microsandbox.metrics.collector.spool.SpooledCollection;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage costs only what it touches: a bad record is skipped alone and counted as a dropped
 * collection, decoding never allocates beyond what the record can hold, a vanished segment is one
 * warning, and the messages say plainly what is wrong.
 */
@Timeout(30)
class DiskSpoolDamageTest {
  private static final long T0 = 1_780_000_000_000L;

  @TempDir Path tmp;
  private final AtomicLong now = new AtomicLong(T0);
  private final List<DiskSpool> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(DiskSpool::close);
  }

  private DiskSpool open() {
    DiskSpool s =
        DiskSpool.open(
            "otlp",
            new SpoolSettings(
                tmp.resolve("otlp"),
                SpoolSettings.DEFAULT_MAX_BYTES,
                Duration.ofHours(1),
                SpoolSettings.SYNC_ALWAYS),
            now::get);
    opened.add(s);
    return s;
  }

  /** {@code n} collections written and the spool closed; the path of its one segment. */
  private Path written(int n) throws IOException {
    DiskSpool s = open();
    for (int i = 0; i < n; i++) {
      s.append(collection(i));
    }
    s.close();
    try (Stream<Path> files = Files.list(tmp.resolve("otlp"))) {
      return files.filter(p -> p.getFileName().toString().startsWith("seg-")).findFirst().get();
    }
  }

  /** Where each record of a segment starts. */
  private static List<Long> recordOffsets(Path seg) throws IOException {
    byte[] all = Files.readAllBytes(seg);
    ByteBuffer b = ByteBuffer.wrap(all);
    List<Long> out = new ArrayList<>();
    int pos = SegmentFile.FILE_HEADER;
    while (pos + SegmentFile.RECORD_HEADER <= all.length) {
      out.add((long) pos);
      pos += SegmentFile.RECORD_HEADER + b.getInt(pos);
    }
    return out;
  }

  private static void flip(Path file, long at) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x5A);
    }
  }

  private static List<Long> times(List<SpooledCollection> read) {
    return read.stream().map(c -> c.collection().collectedAtMs()).collect(Collectors.toList());
  }

  private static List<Long> expectedWithout(int n, int... missing) {
    List<Long> out = new ArrayList<>();
    outer:
    for (int i = 0; i < n; i++) {
      for (int m : missing) {
        if (m == i) {
          continue outer;
        }
      }
      out.add(collection(i).collectedAtMs());
    }
    return out;
  }

  @Test
  void aFlippedByteInTheMiddleLosesThatRecordAloneAndCountsItAsDropped() throws IOException {
    Path seg = written(67);
    flip(seg, recordOffsets(seg).get(10) + SegmentFile.RECORD_HEADER + 20);
    DiskSpool again = open();
    List<SpooledCollection> read = again.readAfter(-1, Integer.MAX_VALUE);
    assertThat(times(read)).isEqualTo(expectedWithout(67, 10));
    assertThat(read.get(10).collection()).isEqualTo(collection(11));
    SpoolStats st = again.stats(now.get());
    assertThat(st.corruptSkipped()).isEqualTo(1);
    assertThat(st.droppedDamaged()).isEqualTo(1);
    assertThat(st.dropped()).isEqualTo(1);
  }

  @Test
  void aDamagedFirstRecordOrLengthFieldLosesOnlyThatRecord() throws IOException {
    Path seg = written(23);
    List<Long> offsets = recordOffsets(seg);
    flip(seg, offsets.get(0) + SegmentFile.RECORD_HEADER + 3); // the first record's payload
    flip(seg, offsets.get(7) + 2); // record 7's length: the frame must be found again after it
    DiskSpool again = open();
    assertThat(times(again.readAfter(-1, Integer.MAX_VALUE))).isEqualTo(expectedWithout(23, 0, 7));
    assertThat(again.stats(now.get()).droppedDamaged()).isEqualTo(2);
  }

  @Test
  void damageToAnAlreadyDeliveredRecordIsNotCountedAsDropped() throws IOException {
    DiskSpool s = open();
    for (int i = 0; i < 5; i++) {
      s.append(collection(i));
    }
    s.remove(2);
    s.close();
    Path seg;
    try (Stream<Path> files = Files.list(tmp.resolve("otlp"))) {
      seg = files.filter(p -> p.getFileName().toString().startsWith("seg-")).findFirst().get();
    }
    flip(seg, recordOffsets(seg).get(2) + SegmentFile.RECORD_HEADER + 3);
    DiskSpool again = open();
    assertThat(times(again.readAfter(-1, Integer.MAX_VALUE))).isEqualTo(expectedWithout(5, 2));
    assertThat(again.stats(now.get()).droppedDamaged()).isZero();
    assertThat(again.stats(now.get()).corruptSkipped()).isEqualTo(1);
  }

  /** A record whose CRC is right but whose sample count is 10^9, as a crafted file would have. */
  @Test
  void aCraftedSampleCountIsRefusedBeforeAnythingIsAllocated() throws IOException {
    Path dir = tmp.resolve("otlp");
    Files.createDirectories(dir);
    ByteSink payload = new ByteSink();
    payload.writeInt(0);
    payload.writeInt(0);
    payload.writeVarLong(0); // seq
    payload.writeByte(CollectionCodec.KIND_KEYFRAME);
    payload.writeZigZag(T0);
    payload.writeVarLong(1_000_000_000L); // samples
    for (int i = 0; i < 100; i++) {
      payload.writeByte(0);
    }
    SegmentFile.frame(payload);
    ByteBuffer file = ByteBuffer.allocate(SegmentFile.FILE_HEADER + payload.size());
    file.put(SegmentFile.MAGIC).putInt(SegmentFile.VERSION).putInt(0);
    file.put(payload.array(), 0, payload.size());
    Files.write(dir.resolve(SegmentFile.fileName(0)), file.array());

    DiskSpool s = open();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    List<SpooledCollection> read = s.readAfter(-1, 10);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(read).isEmpty();
    assertThat(allocated).as("bytes allocated decoding it").isLessThan(16L << 20);
    assertThat(s.stats(now.get()).droppedDamaged()).isEqualTo(1);
    // and the spool goes on
    long seq = s.append(collection(1));
    assertThat(s.readAfter(seq - 1, 10)).hasSize(1);
  }

  @Test
  void aSegmentDeletedWhileRunningLosesItsCollectionsInOneCountedStep() throws IOException {
    Path seg = written(10);
    DiskSpool again = open();
    Files.delete(seg);
    assertThat(again.readAfter(-1, Integer.MAX_VALUE)).isEmpty();
    SpoolStats st = again.stats(now.get());
    assertThat(st.droppedDamaged()).isEqualTo(10);
    assertThat(st.collections()).isZero();
    // one event, not one per record
    assertThat(st.corruptSkipped()).isZero();
    SnapshotCollection c = collection(11);
    long seq = again.append(c);
    assertThat(again.readAfter(seq - 1, 10).get(0).collection()).isEqualTo(c);
  }

  @Test
  void messagesSayPlainlyWhatIsWrong() throws IOException {
    Path seg = written(3);
    long end = Files.size(seg);
    // a pre-allocated tail of zeros, then a length that is negative as a signed number
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.setLength(end + 64);
    }
    assertThat(scanProblems(seg)).containsExactly("zero bytes where a record should start");
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.seek(end);
      f.writeInt(-5);
      f.writeInt(0);
      f.setLength(end + 64);
    }
    assertThat(scanProblems(seg))
        .singleElement()
        .asString()
        .contains("impossible length")
        .doesNotContain("-5")
        .doesNotContain("beyond");
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.seek(end);
      f.writeInt(1000);
      f.setLength(end + 64);
    }
    assertThat(scanProblems(seg))
        .containsExactly(
            "the file ends inside a record (1000 bytes announced, 56 present: a torn write)");
  }

  private static List<String> scanProblems(Path seg) throws IOException {
    try (SegmentFile f = SegmentFile.openExisting(SpoolFileSystem.real(), seg)) {
      return f.scan(0, (offset, h) -> {}).stream()
          .map(SegmentFile.Damage::problem)
          .collect(Collectors.toList());
    }
  }

  @Test
  void crcOfTheFramingIsTheCrcOfThePayload() {
    // guards the test's own crafting above against a change of framing
    ByteSink s = new ByteSink();
    s.writeInt(0);
    s.writeInt(0);
    s.writeByte(7);
    SegmentFile.frame(s);
    CRC32C crc = new CRC32C();
    crc.update(new byte[] {7});
    assertThat(ByteBuffer.wrap(s.array()).getInt(4)).isEqualTo((int) crc.getValue());
  }
}
