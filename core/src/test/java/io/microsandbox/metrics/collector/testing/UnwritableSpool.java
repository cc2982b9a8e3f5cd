package io.microsandbox.metrics.collector.testing;

import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.collector.spool.CollectionSpool;
import io.microsandbox.metrics.collector.spool.SpoolStats;
import io.microsandbox.metrics.collector.spool.SpooledCollection;
import java.io.IOException;
import java.util.List;

/**
 * A spool whose directory cannot be used (for example under a regular file, or a full disk): every
 * append fails until {@link #writable} is set, and then it keeps what it is given in order.
 */
public final class UnwritableSpool implements CollectionSpool {
  private final java.util.TreeMap<Long, SnapshotCollection> entries = new java.util.TreeMap<>();
  private long nextSeq = 1;
  private volatile boolean writable;
  private long writeErrors;

  /** Appends succeed from now on ({@code true}) or fail again. */
  public void writable(boolean on) {
    this.writable = on;
  }

  @Override
  public synchronized long append(SnapshotCollection collection) throws IOException {
    if (!writable) {
      writeErrors++;
      throw new IOException("Not a directory: /tmp/file/spool/otlp");
    }
    long seq = nextSeq++;
    entries.put(seq, collection);
    return seq;
  }

  @Override
  public synchronized List<SpooledCollection> readAfter(long afterSeq, int max) {
    return entries.tailMap(afterSeq, false).entrySet().stream()
        .limit(max)
        .map(e -> new SpooledCollection(e.getKey(), e.getValue()))
        .toList();
  }

  @Override
  public synchronized void remove(long seq) {
    entries.remove(seq);
  }

  @Override
  public synchronized long oldestSeq() {
    return entries.isEmpty() ? Long.MAX_VALUE : entries.firstKey();
  }

  @Override
  public synchronized SpoolStats stats(long nowMs) {
    return new SpoolStats(0, 1L << 30, entries.size(), 0, 0, 0, 0, 0, writeErrors);
  }

  @Override
  public void close() {}
}
