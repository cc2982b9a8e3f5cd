package io.microsandbox.metrics.collector.internal;

import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.collector.spool.CollectionSpool;
import io.microsandbox.metrics.collector.spool.SpoolStats;
import io.microsandbox.metrics.collector.spool.SpooledCollection;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exporter's buffer kept in a {@link CollectionSpool}, with only a window of it in memory.
 *
 * <pre>
 *  offer --append--> spool (every collection, before it counts as buffered)
 *    |                 |
 *    |  window not full and nothing on disk only      window empty: readAfter(loadedUpTo)
 *    +-----------------> window (&lt;= capacity) &lt;-------+
 *    |
 *    +-- append failed --> pending (memory only, &lt;= capacity, oldest dropped and counted)
 * </pre>
 *
 * <p>Order: the window holds the oldest entries not yet delivered; entries only on disk ({@code
 * behind}) come after it; pending collections (written while the spool failed) are newer than
 * everything spooled, because every append first writes the pending ones. So takes deliver the
 * window, then the disk backlog, then pending: oldest first. A batch is removed from the spool only
 * after the backend accepted it (or refused it for good).
 *
 * <p>Thread-safe: one monitor; the collect thread appends under it, so a read never races an
 * append.
 */
public final class SpooledBuffer implements ExporterBuffer {
  private static final Logger logger = LoggerFactory.getLogger(SpooledBuffer.class);

  private final String name;
  private final CollectionSpool spool;
  private final int capacity;
  private final IdentityInterner interner = new IdentityInterner();
  private final ArrayDeque<Item> window;
  private final ArrayDeque<CompactCollection> pending;

  private long loadedUpTo = -1;
  private boolean behind;
  private boolean writeFailing;
  private long droppedSinceBatch;
  private long droppedInMemory;
  private long spoolDropsReported;

  /**
   * Wraps an opened spool; whatever it holds is delivered first.
   *
   * @param name the exporter's name, for log lines
   * @param spool the exporter's spool, closed by {@link #close()}
   * @param capacity the most collections held in memory (window and pending each)
   */
  public SpooledBuffer(String name, CollectionSpool spool, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("buffer capacity must be at least 1, got " + capacity);
    }
    this.name = name;
    this.spool = spool;
    this.capacity = capacity;
    this.window = new ArrayDeque<>(Math.min(capacity, 1024) + 1);
    this.pending = new ArrayDeque<>();
    this.behind = spool.oldestSeq() != Long.MAX_VALUE;
    SpoolStats s = spool.stats(System.currentTimeMillis());
    this.spoolDropsReported = s.dropped();
    if (behind) {
      logger.info(
          "exporter {}: {} spooled collections ({} bytes) from an earlier run are delivered first",
          name,
          s.collections(),
          s.bytes());
    }
  }

  @Override
  public synchronized int offer(CompactCollection collection) {
    writePending();
    if (!pending.isEmpty()) {
      return addPending(collection);
    }
    long seq;
    try {
      seq = spool.append(collection.decode());
    } catch (IOException | RuntimeException e) {
      writeFailed(e);
      return addPending(collection);
    }
    if (writeFailing) {
      writeFailing = false;
      logger.info("exporter {}: the spool is writable again", name);
    }
    place(seq, collection);
    return 0;
  }

  /** Writes the pending collections to the spool, oldest first, until one fails. */
  private void writePending() {
    while (!pending.isEmpty()) {
      CompactCollection c = pending.peekFirst();
      long seq;
      try {
        seq = spool.append(c.decode());
      } catch (IOException | RuntimeException e) {
        writeFailed(e);
        return;
      }
      pending.removeFirst();
      place(seq, c);
    }
  }

  private void place(long seq, CompactCollection c) {
    if (loadedUpTo < 0 && spool.oldestSeq() < seq) {
      // nothing of this run was spooled yet, but the spool holds older entries (a directory that
      // became usable only now, with an earlier run's backlog): those go first
      behind = true;
    }
    if (!behind && window.size() < capacity) {
      window.addLast(new Item(seq, c));
      loadedUpTo = seq;
    } else {
      behind = true;
    }
  }

  private void writeFailed(Exception e) {
    if (!writeFailing) {
      writeFailing = true;
      logger.error(
          "exporter {}: cannot write the spool, buffering in memory only (at most {} collections)"
              + " until it works again: {}",
          name,
          capacity,
          e.toString());
    }
  }

  private int addPending(CompactCollection c) {
    pending.addLast(c);
    return trimPending();
  }

  /** Holds pending (memory-only) collections to the cap, dropping and counting the oldest. */
  private int trimPending() {
    int dropped = 0;
    while (pending.size() > capacity) {
      pending.removeFirst();
      dropped++;
    }
    droppedSinceBatch += dropped;
    droppedInMemory += dropped;
    return dropped;
  }

  @Override
  public synchronized SnapshotBuffer.Taken take() {
    forgetDropped();
    if (window.isEmpty() && behind) {
      refill();
    }
    List<CompactCollection> out = new ArrayList<>();
    long[] seqs;
    if (!window.isEmpty()) {
      seqs = new long[window.size()];
      int i = 0;
      for (Item item : window) {
        out.add(item.collection);
        seqs[i++] = item.seq;
      }
      window.clear();
      // a cap may drop these while their request is out; counted only if it fails
      spool.exporting(seqs[seqs.length - 1]);
    } else if (!behind && !pending.isEmpty()) {
      out.addAll(pending);
      pending.clear();
      seqs = new long[out.size()];
      java.util.Arrays.fill(seqs, -1);
    } else {
      seqs = new long[0];
    }
    long dropped = droppedSinceBatch + newSpoolDrops();
    droppedSinceBatch = 0;
    return new SnapshotBuffer.Taken(out, seqs, dropped);
  }

  /** Window entries the spool dropped for its caps (always its oldest) leave memory too. */
  private void forgetDropped() {
    long oldest = spool.oldestSeq();
    Iterator<Item> it = window.iterator();
    while (it.hasNext() && it.next().seq < oldest) {
      it.remove();
    }
  }

  private long newSpoolDrops() {
    SpoolStats s = spool.stats(System.currentTimeMillis());
    long total = s.dropped();
    long delta = total - spoolDropsReported;
    spoolDropsReported = total;
    return Math.max(0, delta);
  }

  private void refill() {
    List<SpooledCollection> read;
    try {
      read = spool.readAfter(loadedUpTo, capacity);
    } catch (IOException | RuntimeException e) {
      logger.warn("exporter {}: reading the spool failed, will try again: {}", name, e.toString());
      return;
    }
    for (SpooledCollection sc : read) {
      SnapshotCollection c = sc.collection();
      window.addLast(
          new Item(
              sc.seq(),
              CompactCollection.encode(
                  c.collectedAtMs(), c.snapshots(), CompactCollection.metadataOf(c), interner)));
      loadedUpTo = Math.max(loadedUpTo, sc.seq());
    }
    if (read.size() < capacity) {
      behind = false;
    }
  }

  @Override
  public synchronized int restore(SnapshotBuffer.Taken taken) {
    spool.exporting(-1); // not delivered: what a cap dropped meanwhile counts now
    List<CompactCollection> c = taken.collections();
    droppedSinceBatch += taken.dropped();
    if (c.isEmpty()) {
      return 0;
    }
    if (taken.seq(0) < 0) {
      for (int i = c.size() - 1; i >= 0; i--) {
        pending.addFirst(c.get(i));
      }
      return trimPending();
    }
    for (int i = c.size() - 1; i >= 0; i--) {
      window.addFirst(new Item(taken.seq(i), c.get(i)));
    }
    // Newer entries beyond the window stay on disk only; they are read back when their turn comes.
    while (window.size() > capacity) {
      window.removeLast();
      behind = true;
    }
    if (behind && !window.isEmpty()) {
      loadedUpTo = window.peekLast().seq;
    }
    return 0;
  }

  @Override
  public synchronized void remove(SnapshotBuffer.Taken taken) {
    for (int i = 0; i < taken.collections().size(); i++) {
      long seq = taken.seq(i);
      if (seq >= 0) {
        spool.remove(seq); // delivered (or refused for good): not a drop, even if a cap took it
      }
    }
    spool.exporting(-1);
  }

  /** The spool takes writes: the last append worked and nothing waits in memory for it. */
  @Override
  public synchronized boolean durable() {
    return !writeFailing && pending.isEmpty();
  }

  @Override
  public synchronized boolean backlog() {
    return behind;
  }

  @Override
  public synchronized int size() {
    return window.size() + pending.size();
  }

  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public synchronized long droppedTotal() {
    SpoolStats s = spool.stats(System.currentTimeMillis());
    return droppedInMemory + s.dropped();
  }

  @Override
  public long droppedForAge() {
    return spool.stats(System.currentTimeMillis()).droppedAge();
  }

  @Override
  public Optional<SpoolStats> spoolStats(long nowMs) {
    return Optional.of(spool.stats(nowMs));
  }

  @Override
  public synchronized int close() {
    writePending();
    int lost = pending.size();
    pending.clear();
    window.clear();
    spool.close();
    return lost;
  }

  private static final class Item {
    final long seq;
    final CompactCollection collection;

    Item(long seq, CompactCollection collection) {
      this.seq = seq;
      this.collection = collection;
    }
  }
}
