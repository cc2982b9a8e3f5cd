package io.microsandbox.metrics.spool.internal;

import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.collector.spool.CollectionSpool;
import io.microsandbox.metrics.collector.spool.SpoolInUseException;
import io.microsandbox.metrics.collector.spool.SpoolSettings;
import io.microsandbox.metrics.collector.spool.SpoolStats;
import io.microsandbox.metrics.collector.spool.SpooledCollection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exporter's spool: the index of live entries over the segment files, the byte and age caps,
 * and the sync policy. The files themselves are {@link SegmentFile}s, removals go to the {@link
 * AcksLog}, the directory's lock, quarantine and retries are {@link SpoolDirectory}'s, and what an
 * open finds on disk is {@link SpoolRecovery}'s (the package documentation states the invariants
 * and the layout).
 *
 * <p>Thread-safe: every method holds the spool's monitor.
 */
public final class DiskSpool implements CollectionSpool {
  private static final Logger logger = LoggerFactory.getLogger(DiskSpool.class);

  /**
   * Every how many records a keyframe is written. 1: every record is a keyframe, decodable alone,
   * so damage to one record loses that record only (docs/spool.md, "Damage", gives the cost in
   * bytes). Segments of earlier versions, with deltas, are still read.
   */
  static final int KEYFRAME_EVERY = 1;

  private final String name;
  private final SpoolSettings settings;
  private final LongSupplier clock;
  private final long segmentBytes;
  private final SpoolDirectory directory;
  private final AcksLog acks;
  private final CollectionCodec.Encoder encoder = new CollectionCodec.Encoder();
  private final CollectionCodec.Decoder decoder = new CollectionCodec.Decoder();
  private final ByteSink sink = new ByteSink();
  private final TreeMap<Long, Segment> segments = new TreeMap<>();
  private final TreeMap<Long, Entry> entries = new TreeMap<>();

  private @Nullable Segment writing;
  private boolean writeBroken;
  private int sinceKeyframe;
  private long keyframeOffset;
  private long nextSeq;
  private long segmentBytesTotal;
  private boolean available;
  private boolean closed;
  private long lastSyncMs;
  private boolean unavailableLogged;
  private boolean fullLogged;
  private boolean acksLogged;

  // entries up to this one are in an export request; their drops wait in heldDrops (true: age)
  private long exportingUpTo = -1;
  private final TreeMap<Long, Boolean> heldDrops = new TreeMap<>();

  private long droppedCapacity;
  private long droppedAge;
  private long droppedDamaged;
  private long corruptSkipped;
  private long writeErrors;

  // decoding cursor: where the decoder's state stands
  private @Nullable Segment cursorSegment;
  private long cursorNext = -1;

  private DiskSpool(String name, SpoolSettings settings, LongSupplier clock, SpoolFileSystem fs) {
    this.name = name;
    this.settings = settings;
    this.clock = clock;
    this.segmentBytes = segmentBytesFor(settings.maxBytes());
    this.directory = new SpoolDirectory(name, settings.dir(), fs, clock);
    this.acks = new AcksLog(fs, settings.dir());
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
    return open(name, settings, clock, SpoolFileSystem.real());
  }

  /** {@link #open(String, SpoolSettings, LongSupplier)} on the given filesystem (tests). */
  static DiskSpool open(
      String name, SpoolSettings settings, LongSupplier clock, SpoolFileSystem fs) {
    DiskSpool s = new DiskSpool(name, settings, clock, fs);
    synchronized (s) {
      s.tryOpen(true);
    }
    return s;
  }

  // ---------------------------------------------------------------- opening

  /** Makes the directory usable; false (logged once) when it is not, yet. */
  private boolean tryOpen(boolean atStart) {
    Path dir = directory.path();
    try {
      try {
        directory.lock(atStart);
      } catch (AccessDeniedException e) {
        if (!directory.unreadable()) {
          throw e; // the directory is fine, something in it is not ours: say so and retry
        }
        // a directory that cannot be read at all (mode 0000, say): moved aside as the README
        // promises, rather than retried forever with its backlog never delivered
        directory.startOver(e);
      }
      try {
        load();
      } catch (IOException | RuntimeException e) {
        directory.startOver(e);
        load();
      }
      available = true;
      if (unavailableLogged) {
        logger.info("exporter {}: spool directory {} is usable again", name, dir);
      }
      unavailableLogged = false;
      return true;
    } catch (IOException | SecurityException | UncheckedIOException e) {
      directory.release();
      if (!unavailableLogged) {
        unavailableLogged = true;
        logger.error(
            "exporter {}: spool directory {} is not usable, buffering in memory only and retrying"
                + " every {} s: {}",
            name,
            dir,
            SpoolDirectory.RETRY_MS / 1000,
            e.toString());
      }
      return false;
    }
  }

  private void load() throws IOException {
    closeSegments();
    segments.clear();
    entries.clear();
    segmentBytesTotal = 0;
    writing = null;
    SpoolRecovery.Result r = new SpoolRecovery(name, directory, acks).recover();
    corruptSkipped += r.corruptRecords();
    droppedDamaged += r.damagedCollections();
    for (SpoolRecovery.Recovered rs : r.segments()) {
      Segment seg = new Segment(rs.file(), rs.firstSeq());
      for (SpoolRecovery.Found f : rs.live()) {
        entries.put(
            f.seq(), new Entry(f.seq(), seg, f.offset(), f.keyframeOffset(), f.collectedAtMs()));
        seg.live++;
      }
      segments.put(seg.firstSeq, seg);
      segmentBytesTotal += rs.file().size;
    }
    nextSeq = r.nextSeq();
    try {
      rewriteAcks();
      acksLogged = false;
    } catch (IOException e) {
      // a read-only directory, say: the backlog is still delivered, but removals are not kept
      if (!acksLogged) {
        acksLogged = true;
        logger.error(
            "exporter {}: spool acknowledgement log {} cannot be written ({}); delivered"
                + " collections may be delivered again after a restart",
            name,
            acks.path(),
            e.toString());
      }
    }
    if (!entries.isEmpty()) {
      dropOld();
    }
  }

  /** Writes a fresh acknowledgement log: the removed sequence numbers within live segments. */
  private void rewriteAcks() throws IOException {
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
    acks.rewrite(ranges);
  }

  // ---------------------------------------------------------------- writing

  @Override
  public synchronized long append(SnapshotCollection collection) throws IOException {
    if (closed) {
      throw new IOException("the spool of exporter " + name + " is closed");
    }
    if (!available) {
      if (!directory.retryDue() || !tryOpen(false)) {
        writeErrors++;
        throw new IOException("spool directory " + directory.path() + " is not usable");
      }
    }
    dropOld();
    long seq = nextSeq;
    Segment seg;
    try {
      seg = writing;
      if (seg == null || writeBroken || seg.file.size >= segmentBytes) {
        seg = roll(seq);
      }
      sink.reset();
      sink.writeInt(0);
      sink.writeInt(0);
      if (sinceKeyframe == 0) {
        encoder.reset();
        keyframeOffset = seg.file.size;
      }
      encoder.encode(seq, collection, sink);
      SegmentFile.frame(sink);
      seg.file.append(sink);
    } catch (IOException | RuntimeException e) {
      writeErrors++;
      writeBroken = true;
      throw e instanceof IOException ? (IOException) e : new IOException(e);
    }
    encoder.commit();
    long recordBytes = sink.size();
    long offset = seg.file.size - recordBytes;
    entries.put(seq, new Entry(seq, seg, offset, keyframeOffset, collection.collectedAtMs()));
    seg.live++;
    segmentBytesTotal += recordBytes;
    nextSeq = seq + 1;
    sinceKeyframe = (sinceKeyframe + 1) % KEYFRAME_EVERY;
    sync(false);
    enforceBytes();
    return seq;
  }

  private void sync(boolean force) {
    long now = clock.getAsLong();
    Segment seg = writing;
    if (seg == null) {
      return;
    }
    if (force || settings.syncAlways() || now - lastSyncMs >= settings.syncInterval().toMillis()) {
      try {
        seg.file.force();
        lastSyncMs = now;
        // removals too, so that a power loss re-delivers at most what one sync interval removed
        acks.force();
      } catch (IOException e) {
        writeErrors++;
        logger.warn(
            "exporter {}: syncing spool segment {} failed: {}", name, seg.file.path, e.toString());
      }
    }
  }

  private Segment roll(long firstSeq) throws IOException {
    Segment old = writing;
    if (old != null) {
      try {
        old.file.force();
      } catch (IOException e) {
        logger.debug("sync before roll failed: {}", e.toString());
      }
      if (old.live == 0) {
        segments.remove(old.firstSeq);
        deleteFile(old);
      }
      writing = null;
    }
    Segment seg =
        new Segment(SegmentFile.create(directory.fs(), directory.path(), firstSeq), firstSeq);
    segments.put(firstSeq, seg);
    segmentBytesTotal += seg.file.size;
    writing = seg;
    writeBroken = false;
    sinceKeyframe = 0;
    return seg;
  }

  private void enforceBytes() {
    while (segmentBytesTotal + acks.bytes() > settings.maxBytes() && segments.size() > 1) {
      Segment oldest = segments.firstEntry().getValue();
      if (oldest == writing) {
        break;
      }
      long end = segments.higherKey(oldest.firstSeq);
      Map<Long, Entry> dropped = entries.subMap(oldest.firstSeq, true, end, false);
      for (long seq : dropped.keySet()) {
        countDrop(seq, false);
      }
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
      countDrop(e.seq, true);
      acknowledge(e);
    }
  }

  /** Counts a cap's drop, or holds the count while the entry is in an export request. */
  private void countDrop(long seq, boolean age) {
    if (seq <= exportingUpTo) {
      heldDrops.put(seq, age);
    } else if (age) {
      droppedAge++;
    } else {
      droppedCapacity++;
    }
  }

  @Override
  public synchronized void exporting(long upToSeq) {
    // held drops above the new mark were not delivered: they count now
    Map<Long, Boolean> settled = heldDrops.tailMap(upToSeq, false);
    for (boolean age : settled.values()) {
      if (age) {
        droppedAge++;
      } else {
        droppedCapacity++;
      }
    }
    settled.clear();
    exportingUpTo = upToSeq;
  }

  // ---------------------------------------------------------------- reading and removing

  @Override
  public synchronized List<SpooledCollection> readAfter(long afterSeq, int max) throws IOException {
    if (!available) {
      return List.of();
    }
    dropOld();
    List<SpooledCollection> out = new ArrayList<>(Math.min(max, 1024));
    long after = afterSeq;
    Map.Entry<Long, Entry> next;
    while (out.size() < max && (next = entries.higherEntry(after)) != null) {
      Entry e = next.getValue();
      after = e.seq;
      try {
        out.add(new SpooledCollection(e.seq, decode(e)));
      } catch (CorruptRecordException ex) {
        corruptSkipped++;
        droppedDamaged++;
        cursorSegment = null;
        logger.warn(
            "exporter {}: spool segment {}: collection {} cannot be read ({}); skipped and counted"
                + " in collections.dropped",
            name,
            e.segment.file.path,
            e.seq,
            ex.getMessage());
        entries.remove(e.seq);
        acknowledge(e);
      } catch (IOException ex) {
        dropSegment(e.segment, ex);
      }
    }
    return out;
  }

  /**
   * A segment whose file cannot be read any more (deleted, replaced, unreadable): its entries are
   * lost together, with one WARN and each counted.
   */
  private void dropSegment(Segment seg, IOException cause) {
    cursorSegment = null;
    Long higher = segments.higherKey(seg.firstSeq);
    Map<Long, Entry> lost =
        higher == null
            ? entries.tailMap(seg.firstSeq, true)
            : entries.subMap(seg.firstSeq, true, higher, false);
    List<Entry> gone = new ArrayList<>(lost.values());
    logger.warn(
        "exporter {}: spool segment {} cannot be read ({}); its {} collections are lost, counted in"
            + " collections.dropped",
        name,
        seg.file.path,
        cause.toString(),
        gone.size());
    droppedDamaged += gone.size();
    for (Entry e : gone) {
      entries.remove(e.seq);
      acknowledge(e);
    }
  }

  /**
   * Decodes an entry: from its keyframe, or on from the previous decode when that stopped in the
   * same keyframe group before it.
   */
  private SnapshotCollection decode(Entry e) throws IOException {
    Segment seg = e.segment;
    long pos;
    if (cursorSegment == seg && cursorNext >= e.keyframeOffset && cursorNext <= e.offset) {
      pos = cursorNext;
    } else {
      pos = e.keyframeOffset;
      decoder.reset();
    }
    while (true) {
      SegmentFile.Frame f = seg.file.read(pos);
      CollectionCodec.Decoded d = decoder.decode(f.payload(), f.payload().length);
      pos = f.end();
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
    } else {
      heldDrops.remove(seq); // dropped by a cap while its request was out, but delivered
    }
  }

  /** Records that an entry left the spool; deletes its segment once nothing in it is live. */
  private void acknowledge(Entry e) {
    Segment seg = e.segment;
    seg.live--;
    try {
      acks.append(e.seq);
    } catch (IOException ex) {
      logger.debug("writing a spool acknowledgement failed: {}", ex.toString());
    }
    if (seg.live == 0 && seg != writing) {
      segments.remove(seg.firstSeq);
      deleteFile(seg);
    }
    if (acks.needsCompaction()) {
      try {
        rewriteAcks();
      } catch (IOException ex) {
        logger.warn(
            "exporter {}: compacting the spool acknowledgements failed: {}", name, ex.toString());
      }
    }
  }

  private void deleteFile(Segment seg) {
    if (cursorSegment == seg) {
      cursorSegment = null;
    }
    segmentBytesTotal -= seg.file.size; // callers removed it from the segments already
    try {
      seg.file.delete();
    } catch (IOException e) {
      logger.warn(
          "exporter {}: deleting spool segment {} failed: {}", name, seg.file.path, e.toString());
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
        segmentBytesTotal + acks.bytes(),
        settings.maxBytes(),
        entries.size(),
        oldestAge,
        droppedCapacity,
        droppedAge,
        droppedDamaged,
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
    closeSegments();
    try {
      acks.force();
    } catch (IOException e) {
      logger.debug("syncing the spool acknowledgements failed: {}", e.toString());
    }
    acks.close();
    directory.release();
  }

  private void closeSegments() {
    for (Segment s : segments.values()) {
      s.file.close();
    }
  }

  /** One segment in the index: its file, its first sequence number, its live entries. */
  private static final class Segment {
    final SegmentFile file;
    final long firstSeq;
    int live;

    Segment(SegmentFile file, long firstSeq) {
      this.file = file;
      this.firstSeq = firstSeq;
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
