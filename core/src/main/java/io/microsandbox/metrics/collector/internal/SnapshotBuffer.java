package io.microsandbox.metrics.collector.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One exporter's bounded buffer of collections, oldest first. When full, the oldest collection is
 * dropped and counted; the count rides on the next batch taken. A batch whose export failed is
 * {@link #restore restored} to the front, ahead of what arrived meanwhile, with the cap still
 * enforced (the oldest go first) and its drop count kept for the next batch.
 *
 * <p>Thread-safe: the collect thread offers while the exporter's worker takes and restores.
 */
public final class SnapshotBuffer implements ExporterBuffer {
  private final int capacity;
  private final ArrayDeque<CompactCollection> collections;
  private long droppedSinceBatch;
  private long droppedTotal;

  /**
   * Creates an empty buffer.
   *
   * @param capacity the most collections held, at least 1
   */
  public SnapshotBuffer(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("buffer capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
    this.collections = new ArrayDeque<>(Math.min(capacity, 1024) + 1);
  }

  /**
   * Appends a collection, dropping the oldest when over capacity.
   *
   * @return how many collections this call dropped (0 or 1)
   */
  @Override
  public synchronized int offer(CompactCollection collection) {
    collections.addLast(collection);
    return trim();
  }

  /** Removes and returns everything buffered, with the drops counted since the last take. */
  public synchronized Taken takeAll() {
    Taken t = new Taken(new ArrayList<>(collections), null, droppedSinceBatch);
    collections.clear();
    droppedSinceBatch = 0;
    return t;
  }

  /**
   * Puts a batch whose export failed back at the front, in its original order, ahead of collections
   * offered meanwhile; then enforces the cap, dropping the oldest.
   *
   * @return how many collections this call dropped
   */
  @Override
  public synchronized int restore(Taken taken) {
    List<CompactCollection> c = taken.collections;
    for (int i = c.size() - 1; i >= 0; i--) {
      collections.addFirst(c.get(i));
    }
    droppedSinceBatch += taken.dropped;
    return trim();
  }

  /** Everything buffered: a memory buffer has no backlog beyond what it holds. */
  @Override
  public Taken take() {
    return takeAll();
  }

  /** Nothing to do: a taken batch is no longer held. */
  @Override
  public void remove(Taken taken) {}

  @Override
  public boolean backlog() {
    return false;
  }

  @Override
  public synchronized int close() {
    return takeAll().collections().size();
  }

  /** Collections buffered now. */
  @Override
  public synchronized int size() {
    return collections.size();
  }

  /** Collections dropped by the cap since the buffer was made. */
  @Override
  public synchronized long droppedTotal() {
    return droppedTotal;
  }

  /** The most collections held. */
  @Override
  public int capacity() {
    return capacity;
  }

  private int trim() {
    int dropped = 0;
    while (collections.size() > capacity) {
      collections.removeFirst();
      dropped++;
    }
    droppedSinceBatch += dropped;
    droppedTotal += dropped;
    return dropped;
  }

  /**
   * What a take removed: the collections, oldest first, their spool sequence numbers (when they
   * came from a spool), and the drops before them.
   */
  public static final class Taken {
    private final List<CompactCollection> collections;
    private final long @Nullable [] seqs; // null when held in memory only
    private final long dropped;

    Taken(List<CompactCollection> collections, long @Nullable [] seqs, long dropped) {
      this.collections = collections;
      this.seqs = seqs;
      this.dropped = dropped;
    }

    /** The spool sequence number of collection {@code i}, or -1 when it is held in memory only. */
    public long seq(int i) {
      return seqs == null ? -1 : seqs[i];
    }

    /** The collections, oldest first. */
    public List<CompactCollection> collections() {
      return collections;
    }

    /** Collections dropped by the cap since the previous take. */
    public long dropped() {
      return dropped;
    }

    /** Whether nothing was buffered. */
    public boolean isEmpty() {
      return collections.isEmpty();
    }

    /** The first {@code n} collections (delivered), without the drop count. */
    public Taken first(int n) {
      return new Taken(collections.subList(0, n), slice(0, n), 0);
    }

    /** The collections after the first {@code n} (to restore), with the drop count. */
    public Taken after(int n) {
      return new Taken(
          collections.subList(n, collections.size()), slice(n, collections.size()), dropped);
    }

    private long @Nullable [] slice(int from, int to) {
      return seqs == null ? null : Arrays.copyOfRange(seqs, from, to);
    }
  }
}
