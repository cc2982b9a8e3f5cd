package io.microsandbox.metrics.spool.internal;

import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.collector.spool.CollectionSpool;
import io.microsandbox.metrics.collector.spool.SpoolInUseException;
import io.microsandbox.metrics.collector.spool.SpoolSettings;
import io.microsandbox.metrics.collector.spool.SpoolStats;
import io.microsandbox.metrics.collector.spool.SpooledCollection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exporter's spool: an append-only log of segment files, a CRC-32C per record, plus a log of
 * removed sequence numbers. Only an index of the live entries is kept in memory.
 *
 * <pre>
 * DIR/LOCK                  held with an OS file lock while open (released by the OS on a crash)
 * DIR/seg-SEQ.log           "MSBSPOOL" u32 version u32 0, then records:
 *                             u32 length, u32 crc32c(payload), payload ({@link CollectionCodec})
 * DIR/acks                  "MSBACKS\0" u32 version u32 0, then 20-byte records:
 *                             i64 from_seq, i64 to_seq, u32 crc32c(from, to)
 * </pre>
 *
 * <p>New records always go to a new segment after an open, so a torn record can only be the last of
 * a segment: at open it is detected by its length or checksum, counted, cut off, and the rest is
 * delivered. A segment is deleted once every entry in it is removed or dropped; the byte cap drops
 * the oldest segment whole (its live entries counted), the age cap drops entries one by one.
 *
 * <p>Thread-safe: every method holds the spool's monitor.
 */
public final class DiskSpool implements CollectionSpool {
  private static final Logger logger = LoggerFactory.getLogger(DiskSpool.class);

  /** The format version this code writes and reads. */
  public static final int VERSION = 1;

  static final byte[] SEGMENT_MAGIC = "MSBSPOOL".getBytes(StandardCharsets.US_ASCII);
  static final byte[] ACKS_MAGIC = "MSBACKS\0".getBytes(StandardCharsets.US_ASCII);
  static final int FILE_HEADER = 16;
  static final int RECORD_HEADER = 8;
  static final int ACK_RECORD = 20;
  static final int KEYFRAME_EVERY = 64;
  static final String LOCK = "LOCK";
  static final String ACKS = "acks";
  static final String PREFIX = "seg-";
  static final String SUFFIX = ".log";
  private static final long RETRY_MS = 5_000;
  private static final long ACKS_COMPACT_BYTES = 1 << 20;

  /** A test seam: called before each record is written; may throw to simulate a full disk. */
  public interface WriteFault {
    /** Throws to fail the write about to happen. */
    void beforeWrite() throws IOException;
  }

  private final String name;
  private final Path dir;
  private final SpoolSettings settings;
  private final LongSupplier clock;
  private final long segmentBytes;
  private final CollectionCodec.Encoder encoder = new CollectionCodec.Encoder();
  private final CollectionCodec.Decoder decoder = new CollectionCodec.Decoder();
  private final ByteSink sink = new ByteSink();
  private final TreeMap<Long, Segment> segments = new TreeMap<>();
  private final TreeMap<Long, Entry> entries = new TreeMap<>();
  private volatile WriteFault fault = () -> {};

  private FileChannel lockChannel;
  private FileLock lock;
  private FileChannel acks;
  private long acksBytes;
  private Segment writing;
  private boolean writeBroken;
  private int sinceKeyframe;
  private long keyframeOffset;
  private long nextSeq;
  private long segmentBytesTotal;
  private boolean available;
  private boolean closed;
  private long lastAttemptMs = Long.MIN_VALUE;
  private long lastSyncMs;
  private boolean unavailableLogged;
  private boolean fullLogged;

  private long droppedCapacity;
  private long droppedAge;
  private long corruptSkipped;
  private long writeErrors;

  // decoding cursor: where the decoder's state stands
  private Segment cursorSegment;
  private long cursorNext = -1;

  private DiskSpool(String name, SpoolSettings settings, LongSupplier clock) {
    this.name = name;
    this.dir = settings.dir();
    this.settings = settings;
    this.clock = clock;
    this.segmentBytes = segmentBytesFor(settings.maxBytes());
  }

  /** Segments are 1/16 of the cap (16 MiB at most, 64 KiB at least): the byte cap drops by one. */
  static long segmentBytesFor(long maxBytes) {
    return Math.max(64 << 10, Math.min(16L << 20, maxBytes / 16));
  }

  /**
   * Opens (or creates) the spool in {@code settings.dir()}. An unusable directory is logged and
   * retried on later appends; unreadable files are moved aside.
   *
   * @throws SpoolInUseException when another process holds the directory
   */
  public static DiskSpool open(String name, SpoolSettings settings, LongSupplier clock) {
    DiskSpool s = new DiskSpool(name, settings, clock);
    synchronized (s) {
      s.tryOpen(true);
    }
    return s;
  }

  /** Replaces the write-fault seam (tests). */
  public void writeFault(WriteFault fault) {
    this.fault = fault;
  }

  // ---------------------------------------------------------------- opening

  /** Makes the directory usable; false (logged once) when it is not, yet. */
  private boolean tryOpen(boolean atStart) {
    lastAttemptMs = clock.getAsLong();
    try {
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        moveAside(dir, "not a directory");
      }
      Files.createDirectories(dir);
      lockChannel =
          FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        closeQuietly(lockChannel);
        lockChannel = null;
        String msg =
            "spool directory " + dir + " is in use by another msb-metrics process (" + LOCK + ")";
        if (atStart) {
          throw new SpoolInUseException(msg);
        }
        throw new IOException(msg);
      }
      try {
        load();
      } catch (IOException | RuntimeException e) {
        startOver(e);
      }
      available = true;
      if (unavailableLogged) {
        logger.info("exporter {}: spool directory {} is usable again", name, dir);
      }
      unavailableLogged = false;
      return true;
    } catch (IOException | SecurityException | java.io.UncheckedIOException e) {
      releaseLock();
      if (!unavailableLogged) {
        unavailableLogged = true;
        logger.error(
            "exporter {}: spool directory {} is not usable, buffering in memory only and retrying"
                + " every {} s: {}",
            name,
            dir,
            RETRY_MS / 1000,
            e.toString());
      }
      return false;
    }
  }

  private void load() throws IOException {
    segments.clear();
    entries.clear();
    segmentBytesTotal = 0;
    TreeMap<Long, Long> acked = loadAcks();
    List<Path> segmentFiles = new ArrayList<>();
    int unknown = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String f = p.getFileName().toString();
        if (f.startsWith(PREFIX) && f.endsWith(SUFFIX)) {
          segmentFiles.add(p);
        } else if (!f.equals(LOCK) && !f.equals(ACKS) && !f.contains(".unreadable-")) {
          unknown++;
        }
      }
    }
    if (unknown > 0) {
      logger.warn(
          "exporter {}: ignoring {} unknown files in spool directory {}", name, unknown, dir);
    }
    segmentFiles.sort(null);
    long maxSeq = acked.isEmpty() ? -1 : acked.lastEntry().getValue();
    for (Path p : segmentFiles) {
      maxSeq = Math.max(maxSeq, loadSegment(p, acked));
    }
    nextSeq = maxSeq + 1;
    for (Iterator<Segment> it = segments.values().iterator(); it.hasNext(); ) {
      Segment s = it.next();
      if (s.live == 0) {
        it.remove();
        deleteFile(s);
      }
    }
    rewriteAcks();
    if (!entries.isEmpty()) {
      dropOld();
    }
  }

  /**
   * The spool cannot be read at all: moves the directory aside (an ERROR names both paths) and
   * starts with an empty one, rather than refusing to start or failing at every start.
   */
  private void startOver(Exception cause) throws IOException {
    releaseLock();
    Path aside = dir.resolveSibling(dir.getFileName() + ".unreadable-" + clock.getAsLong());
    Files.move(dir, aside);
    logger.error(
        "exporter {}: spool directory {} cannot be read ({}); moved aside to {}, starting with an"
            + " empty spool",
        name,
        dir,
        cause.toString(),
        aside);
    Files.createDirectories(dir);
    lockChannel =
        FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    lock = lockChannel.tryLock();
    if (lock == null) {
      throw new IOException("spool directory " + dir + " was taken by another process");
    }
    load();
  }

  /** Reads one segment into the index; returns the largest sequence number in it (-1: none). */
  private long loadSegment(Path p, TreeMap<Long, Long> acked) throws IOException {
    long maxSeq = -1;
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      ByteBuffer header = ByteBuffer.allocate(FILE_HEADER);
      readFully(ch, header, 0);
      if (header.position() < FILE_HEADER) {
        corruptSkipped++;
        logger.warn(
            "exporter {}: spool segment {} is shorter than its header (a torn create); deleted",
            name,
            p);
        Files.deleteIfExists(p);
        return -1;
      }
      header.flip();
      byte[] magic = new byte[SEGMENT_MAGIC.length];
      header.get(magic);
      int version = header.getInt();
      if (!Arrays.equals(magic, SEGMENT_MAGIC)) {
        corruptSkipped++;
        moveAside(p, "not a spool segment (bad magic)");
        return -1;
      }
      if (version != VERSION) {
        moveAside(
            p,
            "written by spool format version "
                + version
                + ", this msb-metrics reads version "
                + VERSION);
        return -1;
      }
      Segment seg = new Segment(p);
      long pos = FILE_HEADER;
      long prevAt = 0;
      long lastKeyframe = -1;
      ByteBuffer rh = ByteBuffer.allocate(RECORD_HEADER);
      byte[] payload = new byte[4096];
      CRC32C crc = new CRC32C();
      while (pos < size) {
        rh.clear();
        readFully(ch, rh, pos);
        String problem = null;
        int len = 0;
        if (rh.position() < RECORD_HEADER) {
          problem = "torn record header";
        } else {
          rh.flip();
          len = rh.getInt();
          int expected = rh.getInt();
          if (len <= 0 || len > size - pos - RECORD_HEADER) {
            problem = "record length " + len + " beyond the end of the file";
          } else {
            if (payload.length < len) {
              payload = new byte[Math.max(len, payload.length * 2)];
            }
            ByteBuffer pb = ByteBuffer.wrap(payload, 0, len);
            readFully(ch, pb, pos + RECORD_HEADER);
            crc.reset();
            crc.update(payload, 0, len);
            if ((int) crc.getValue() != expected) {
              problem = "checksum mismatch";
            }
          }
        }
        CollectionCodec.Header h = null;
        if (problem == null) {
          try {
            h = CollectionCodec.header(payload, len);
            if (h.kind() == CollectionCodec.KIND_DELTA && lastKeyframe < 0) {
              problem = "delta record without a keyframe";
            }
          } catch (CorruptRecordException e) {
            problem = e.getMessage();
          }
        }
        if (problem != null) {
          corruptSkipped++;
          logger.warn(
              "exporter {}: spool segment {}: corrupt or torn record at offset {} ({}); the {}"
                  + " bytes from there are cut off, the records before it are delivered",
              name,
              p,
              pos,
              problem,
              size - pos);
          ch.truncate(pos);
          break;
        }
        long at;
        if (h.kind() == CollectionCodec.KIND_KEYFRAME) {
          lastKeyframe = pos;
          at = h.collectedAtOrDelta();
        } else {
          at = prevAt + h.collectedAtOrDelta();
        }
        prevAt = at;
        if (seg.firstSeq < 0) {
          seg.firstSeq = h.seq();
        }
        maxSeq = Math.max(maxSeq, h.seq());
        if (!isAcked(acked, h.seq())) {
          entries.put(h.seq(), new Entry(h.seq(), seg, pos, lastKeyframe, at));
          seg.live++;
        }
        pos += RECORD_HEADER + len;
      }
      seg.size = pos;
      if (seg.firstSeq < 0) {
        Files.deleteIfExists(p);
        return maxSeq;
      }
      segments.put(seg.firstSeq, seg);
      segmentBytesTotal += seg.size;
    }
    return maxSeq;
  }

  private static boolean isAcked(TreeMap<Long, Long> acked, long seq) {
    Map.Entry<Long, Long> e = acked.floorEntry(seq);
    return e != null && e.getValue() >= seq;
  }

  private TreeMap<Long, Long> loadAcks() throws IOException {
    TreeMap<Long, Long> ranges = new TreeMap<>();
    Path p = dir.resolve(ACKS);
    if (!Files.exists(p)) {
      return ranges;
    }
    byte[] all = Files.readAllBytes(p);
    ByteBuffer b = ByteBuffer.wrap(all);
    byte[] magic = new byte[ACKS_MAGIC.length];
    if (all.length < FILE_HEADER) {
      return ranges;
    }
    b.get(magic);
    int version = b.getInt();
    b.getInt();
    if (!Arrays.equals(magic, ACKS_MAGIC) || version != VERSION) {
      moveAside(
          p,
          !Arrays.equals(magic, ACKS_MAGIC)
              ? "not a spool acknowledgement log (bad magic); delivered collections may be sent"
                  + " again"
              : "written by spool format version " + version + ", this one reads " + VERSION);
      return ranges;
    }
    CRC32C crc = new CRC32C();
    while (b.remaining() >= ACK_RECORD) {
      int at = b.position();
      long from = b.getLong();
      long to = b.getLong();
      int expected = b.getInt();
      crc.reset();
      crc.update(all, at, 16);
      if ((int) crc.getValue() != expected || from > to) {
        corruptSkipped++;
        logger.warn("exporter {}: spool acknowledgement log {}: corrupt record skipped", name, p);
        continue;
      }
      addRange(ranges, from, to);
    }
    return ranges;
  }

  private static void addRange(TreeMap<Long, Long> ranges, long from, long to) {
    Map.Entry<Long, Long> below = ranges.floorEntry(from);
    if (below != null && below.getValue() >= from - 1) {
      from = below.getKey();
      to = Math.max(to, below.getValue());
    }
    Map.Entry<Long, Long> above;
    while ((above = ranges.ceilingEntry(from)) != null && above.getKey() <= to + 1) {
      to = Math.max(to, above.getValue());
      ranges.remove(above.getKey());
    }
    ranges.put(from, to);
  }

  /** Writes a fresh acknowledgement log: the removed sequence numbers within live segments. */
  private void rewriteAcks() throws IOException {
    closeQuietly(acks);
    acks = null;
    Path tmp = dir.resolve(ACKS + ".tmp");
    ByteBuffer hb = ByteBuffer.allocate(FILE_HEADER);
    hb.put(ACKS_MAGIC).putInt(VERSION).putInt(0).flip();
    List<long[]> ranges = new ArrayList<>();
    if (!segments.isEmpty()) {
      long expect = segments.firstKey();
      for (long seq : entries.keySet()) {
        if (seq > expect) {
          ranges.add(new long[] {expect, seq - 1});
        }
        expect = seq + 1;
      }
      if (expect < nextSeq) {
        ranges.add(new long[] {expect, nextSeq - 1});
      }
    } else if (nextSeq > 0) {
      ranges.add(new long[] {nextSeq - 1, nextSeq - 1}); // keeps the sequence moving on
    }
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      writeFully(ch, hb, 0);
      long pos = FILE_HEADER;
      for (long[] r : ranges) {
        ByteBuffer rb = ackRecord(r[0], r[1]);
        writeFully(ch, rb, pos);
        pos += ACK_RECORD;
      }
      ch.force(true);
    }
    Files.move(
        tmp,
        dir.resolve(ACKS),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    acks = FileChannel.open(dir.resolve(ACKS), StandardOpenOption.WRITE);
    acksBytes = acks.size();
  }

  private static ByteBuffer ackRecord(long from, long to) {
    ByteBuffer rb = ByteBuffer.allocate(ACK_RECORD);
    rb.putLong(from).putLong(to);
    CRC32C crc = new CRC32C();
    crc.update(rb.array(), 0, 16);
    rb.putInt((int) crc.getValue()).flip();
    return rb;
  }

  private void moveAside(Path p, String why) throws IOException {
    Path aside = p.resolveSibling(p.getFileName() + ".unreadable-" + clock.getAsLong());
    Files.move(p, aside);
    logger.error("exporter {}: spool file {} is {}; moved aside to {}", name, p, why, aside);
  }

  // ---------------------------------------------------------------- writing

  @Override
  public synchronized long append(SnapshotCollection collection) throws IOException {
    if (closed) {
      throw new IOException("the spool of exporter " + name + " is closed");
    }
    if (!available) {
      if (clock.getAsLong() - lastAttemptMs < RETRY_MS || !tryOpen(false)) {
        writeErrors++;
        throw new IOException("spool directory " + dir + " is not usable");
      }
    }
    dropOld();
    long seq = nextSeq;
    try {
      if (writing == null || writeBroken || writing.size >= segmentBytes) {
        roll(seq);
      }
      sink.reset();
      sink.writeInt(0);
      sink.writeInt(0);
      if (sinceKeyframe == 0) {
        encoder.reset();
        keyframeOffset = writing.size;
      }
      encoder.encode(seq, collection, sink);
      int len = sink.size() - RECORD_HEADER;
      CRC32C crc = new CRC32C();
      crc.update(sink.array(), RECORD_HEADER, len);
      sink.setInt(0, len);
      sink.setInt(4, (int) crc.getValue());
      fault.beforeWrite();
      writeFully(writing.channel, sink.asBuffer(), writing.size);
    } catch (IOException | RuntimeException e) {
      writeErrors++;
      writeBroken = true;
      if (writing != null) {
        try {
          writing.channel.truncate(writing.size);
        } catch (IOException ignored) {
          // the next open cuts a torn tail off by its checksum
        }
      }
      throw e instanceof IOException ? (IOException) e : new IOException(e);
    }
    encoder.commit();
    long offset = writing.size;
    long recordBytes = sink.size();
    entries.put(seq, new Entry(seq, writing, offset, keyframeOffset, collection.collectedAtMs()));
    writing.live++;
    writing.size += recordBytes;
    segmentBytesTotal += recordBytes;
    nextSeq = seq + 1;
    sinceKeyframe = (sinceKeyframe + 1) % KEYFRAME_EVERY;
    sync(false);
    enforceBytes();
    return seq;
  }

  private void sync(boolean force) {
    long now = clock.getAsLong();
    if (writing == null) {
      return;
    }
    if (force || settings.syncAlways() || now - lastSyncMs >= settings.syncInterval().toMillis()) {
      try {
        writing.channel.force(false);
        lastSyncMs = now;
      } catch (IOException e) {
        writeErrors++;
        logger.warn(
            "exporter {}: syncing spool segment {} failed: {}", name, writing.path, e.toString());
      }
    }
  }

  private void roll(long firstSeq) throws IOException {
    if (writing != null) {
      try {
        writing.channel.force(false);
      } catch (IOException e) {
        logger.debug("sync before roll failed: {}", e.toString());
      }
      if (writing.live == 0) {
        segments.remove(writing.firstSeq);
        deleteFile(writing);
      }
    }
    Path p = dir.resolve(String.format("%s%020d%s", PREFIX, firstSeq, SUFFIX));
    Segment seg = new Segment(p);
    seg.firstSeq = firstSeq;
    seg.channel =
        FileChannel.open(
            p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    ByteBuffer hb = ByteBuffer.allocate(FILE_HEADER);
    hb.put(SEGMENT_MAGIC).putInt(VERSION).putInt(0).flip();
    try {
      writeFully(seg.channel, hb, 0);
      seg.channel.force(true);
      forceDirectory();
    } catch (IOException e) {
      closeQuietly(seg.channel);
      Files.deleteIfExists(p);
      throw e;
    }
    seg.size = FILE_HEADER;
    segments.put(firstSeq, seg);
    segmentBytesTotal += FILE_HEADER;
    writing = seg;
    writeBroken = false;
    sinceKeyframe = 0;
  }

  /** Makes a new file's directory entry durable (Linux allows fsync on a directory). */
  private void forceDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      logger.debug("syncing spool directory {} failed: {}", dir, e.toString());
    }
  }

  private void enforceBytes() {
    while (segmentBytesTotal + acksBytes > settings.maxBytes() && segments.size() > 1) {
      Segment oldest = segments.firstEntry().getValue();
      if (oldest == writing) {
        break;
      }
      long end = segments.higherKey(oldest.firstSeq);
      Map<Long, Entry> dropped = entries.subMap(oldest.firstSeq, true, end, false);
      droppedCapacity += dropped.size();
      if (!fullLogged && !dropped.isEmpty()) {
        fullLogged = true;
        logger.warn(
            "exporter {}: spool full ({} bytes), dropping the oldest collections; the collections"
                + " dropped counter (reason capacity) says how many",
            name,
            settings.maxBytes());
      }
      dropped.clear();
      segments.remove(oldest.firstSeq);
      deleteFile(oldest);
    }
  }

  /** Drops entries older than the age cap, oldest first, one by one. */
  private void dropOld() {
    long oldestAllowed = clock.getAsLong() - settings.maxAge().toMillis();
    while (!entries.isEmpty() && entries.firstEntry().getValue().collectedAtMs < oldestAllowed) {
      Entry e = entries.pollFirstEntry().getValue();
      droppedAge++;
      acknowledge(e);
    }
  }

  // ---------------------------------------------------------------- reading and removing

  @Override
  public synchronized List<SpooledCollection> readAfter(long afterSeq, int max) throws IOException {
    if (!available) {
      return List.of();
    }
    dropOld();
    List<SpooledCollection> out = new ArrayList<>(Math.min(max, 1024));
    Iterator<Entry> it = entries.tailMap(afterSeq, false).values().iterator();
    List<Entry> bad = new ArrayList<>();
    while (it.hasNext() && out.size() < max) {
      Entry e = it.next();
      try {
        out.add(new SpooledCollection(e.seq, decode(e)));
      } catch (CorruptRecordException | IOException ex) {
        corruptSkipped++;
        cursorSegment = null;
        logger.warn(
            "exporter {}: spool segment {}: record {} cannot be read, skipped: {}",
            name,
            e.segment.path,
            e.seq,
            ex.getMessage());
        bad.add(e);
      }
    }
    for (Entry e : bad) {
      entries.remove(e.seq);
      acknowledge(e);
    }
    return out;
  }

  private SnapshotCollection decode(Entry e) throws IOException {
    Segment seg = e.segment;
    long pos;
    if (cursorSegment == seg && cursorNext >= e.keyframeOffset && cursorNext <= e.offset) {
      pos = cursorNext;
    } else {
      pos = e.keyframeOffset;
      decoder.reset();
    }
    FileChannel ch = seg.reader();
    ByteBuffer rh = ByteBuffer.allocate(RECORD_HEADER);
    CRC32C crc = new CRC32C();
    while (true) {
      rh.clear();
      readFully(ch, rh, pos);
      if (rh.position() < RECORD_HEADER) {
        throw new CorruptRecordException("record header past the end of the segment");
      }
      rh.flip();
      int len = rh.getInt();
      int expected = rh.getInt();
      if (len <= 0 || len > seg.size - pos - RECORD_HEADER) {
        throw new CorruptRecordException("record length " + len + " out of range");
      }
      byte[] payload = new byte[len];
      readFully(ch, ByteBuffer.wrap(payload), pos + RECORD_HEADER);
      crc.reset();
      crc.update(payload, 0, len);
      if ((int) crc.getValue() != expected) {
        throw new CorruptRecordException("checksum mismatch");
      }
      CollectionCodec.Decoded d = decoder.decode(payload, len);
      pos += RECORD_HEADER + len;
      cursorSegment = seg;
      cursorNext = pos;
      if (d.seq() == e.seq) {
        return d.collection();
      }
      if (pos > e.offset) {
        throw new CorruptRecordException("record " + e.seq + " not found where the index says");
      }
    }
  }

  @Override
  public synchronized void remove(long seq) {
    Entry e = entries.remove(seq);
    if (e != null) {
      acknowledge(e);
    }
  }

  /** Records that an entry left the spool; deletes its segment once nothing in it is live. */
  private void acknowledge(Entry e) {
    Segment seg = e.segment;
    seg.live--;
    if (acks != null) {
      try {
        writeFully(acks, ackRecord(e.seq, e.seq), acksBytes);
        acksBytes += ACK_RECORD;
      } catch (IOException ex) {
        logger.debug("writing a spool acknowledgement failed: {}", ex.toString());
      }
    }
    if (seg.live == 0 && seg != writing) {
      segments.remove(seg.firstSeq);
      deleteFile(seg);
    }
    if (acksBytes > ACKS_COMPACT_BYTES) {
      try {
        rewriteAcks();
      } catch (IOException ex) {
        logger.warn(
            "exporter {}: compacting the spool acknowledgements failed: {}", name, ex.toString());
      }
    }
  }

  private void deleteFile(Segment seg) {
    closeQuietly(seg.channel);
    closeQuietly(seg.readChannel);
    seg.channel = null;
    seg.readChannel = null;
    if (cursorSegment == seg) {
      cursorSegment = null;
    }
    segmentBytesTotal -= seg.size; // callers removed it from the segments already
    try {
      Files.deleteIfExists(seg.path);
    } catch (IOException e) {
      logger.warn(
          "exporter {}: deleting spool segment {} failed: {}", name, seg.path, e.toString());
    }
  }

  @Override
  public synchronized long oldestSeq() {
    return entries.isEmpty() ? Long.MAX_VALUE : entries.firstKey();
  }

  @Override
  public synchronized SpoolStats stats(long nowMs) {
    long oldestAge =
        entries.isEmpty() ? 0 : Math.max(0, nowMs - entries.firstEntry().getValue().collectedAtMs);
    return new SpoolStats(
        segmentBytesTotal + acksBytes,
        settings.maxBytes(),
        entries.size(),
        oldestAge,
        droppedCapacity,
        droppedAge,
        corruptSkipped,
        writeErrors);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    sync(true);
    for (Segment s : segments.values()) {
      closeQuietly(s.channel);
      closeQuietly(s.readChannel);
    }
    if (acks != null) {
      try {
        acks.force(false);
      } catch (IOException e) {
        logger.debug("syncing the spool acknowledgements failed: {}", e.toString());
      }
    }
    closeQuietly(acks);
    releaseLock();
  }

  private void releaseLock() {
    if (lock != null) {
      try {
        lock.release();
      } catch (IOException e) {
        logger.debug("releasing the spool lock failed: {}", e.toString());
      }
      lock = null;
    }
    closeQuietly(lockChannel);
    lockChannel = null;
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      int n = ch.read(b, pos);
      if (n < 0) {
        return;
      }
      pos += n;
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      pos += ch.write(b, pos);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception e) {
        // nothing to do: the file is gone or the process is ending
      }
    }
  }

  /** One segment file. */
  private static final class Segment {
    final Path path;
    long firstSeq = -1;
    long size;
    int live;
    FileChannel channel;
    FileChannel readChannel;

    Segment(Path path) {
      this.path = path;
    }

    FileChannel reader() throws IOException {
      if (channel != null) {
        return channel;
      }
      if (readChannel == null) {
        readChannel = FileChannel.open(path, StandardOpenOption.READ);
      }
      return readChannel;
    }
  }

  /** One live entry of the index. */
  private static final class Entry {
    final long seq;
    final Segment segment;
    final long offset;
    final long keyframeOffset;
    final long collectedAtMs;

    Entry(long seq, Segment segment, long offset, long keyframeOffset, long collectedAtMs) {
      this.seq = seq;
      this.segment = segment;
      this.offset = offset;
      this.keyframeOffset = keyframeOffset;
      this.collectedAtMs = collectedAtMs;
    }
  }
}
