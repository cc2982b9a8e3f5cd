package io.microsandbox.metrics.collector.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One exporter's bounded buffer of collections, oldest first. When full, the oldest collection is
 * dropped and counted; the count rides on the next batch taken. A batch whose export failed is
 * {@link #restore restored} to the front, ahead of what arrived meanwhile, with the cap still
 * enforced (the oldest go first) and its drop count kept for the next batch.
 *
 * <p>Thread-safe: the collect thread offers while the exporter's worker takes and restores.
 */
public final class SnapshotBuffer {
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
  public synchronized int offer(CompactCollection collection) {
    collections.addLast(collection);
    return trim();
  }

  /** Removes and returns everything buffered, with the drops counted since the last take. */
  public synchronized Taken takeAll() {
    Taken t = new Taken(new ArrayList<>(collections), droppedSinceBatch);
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
  public synchronized int restore(Taken taken) {
    List<CompactCollection> c = taken.collections;
    for (int i = c.size() - 1; i >= 0; i--) {
      collections.addFirst(c.get(i));
    }
    droppedSinceBatch += taken.dropped;
    return trim();
  }

  /** Collections buffered now. */
  public synchronized int size() {
    return collections.size();
  }

  /** Collections dropped by the cap since the buffer was made. */
  public synchronized long droppedTotal() {
    return droppedTotal;
  }

  /** The most collections held. */
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

  /** What {@link #takeAll()} removed: the collections, oldest first, and the drops before them. */
  public static final class Taken {
    private final List<CompactCollection> collections;
    private final long dropped;

    Taken(List<CompactCollection> collections, long dropped) {
      this.collections = collections;
      this.dropped = dropped;
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
  }
}
