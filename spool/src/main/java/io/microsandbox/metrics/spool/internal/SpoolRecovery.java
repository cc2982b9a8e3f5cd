package io.microsandbox.metrics.spool.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a spool's contents from its directory at open: reads the acks log, scans every segment
 * (skipping damage, counting what it cost), deletes segments with nothing live and moves aside
 * whatever cannot be used, each entry alone. {@link DiskSpool} turns the result into its index.
 */
final class SpoolRecovery {
  private static final Logger logger = LoggerFactory.getLogger(DiskSpool.class);

  /** A live record found: where it and its keyframe start, when it was collected. */
  record Found(long seq, long offset, long keyframeOffset, long collectedAtMs) {}

  /**
   * A segment holding live records, oldest first; {@code firstSeq} is its first record's, live or
   * not (the acks log is rewritten from there). Its file is closed (reopened when read).
   */
  record Recovered(SegmentFile file, long firstSeq, List<Found> live) {}

  /**
   * What the directory holds.
   *
   * @param segments the segments with live records, in sequence order
   * @param nextSeq the sequence number the next append gets: above every one seen
   * @param corruptRecords damaged stretches and records found (segments and acks log)
   * @param damagedCollections collections lost to damage (not yet acknowledged when it struck)
   */
  record Result(
      List<Recovered> segments, long nextSeq, long corruptRecords, long damagedCollections) {}

  private final String exporter;
  private final SpoolDirectory directory;
  private final AcksLog acks;
  private long corrupt;
  private long damaged;

  SpoolRecovery(String exporter, SpoolDirectory directory, AcksLog acks) {
    this.exporter = exporter;
    this.directory = directory;
    this.acks = acks;
  }

  /**
   * Reads the directory.
   *
   * @throws IOException only when the directory itself cannot be listed
   */
  Result recover() throws IOException {
    SpoolDirectory.Listing listing = directory.list();
    AcksLog.Contents acked = readAcks();
    long maxSeq = acked.maxSeq();
    List<Recovered> segments = new ArrayList<>();
    for (Path p : listing.segments()) {
      try {
        maxSeq = Math.max(maxSeq, recoverSegment(p, acked, segments));
      } catch (IOException e) {
        directory.quarantine(p, "cannot be read (" + e + ")");
      }
    }
    return new Result(segments, maxSeq + 1, corrupt, damaged);
  }

  /** The acks log's contents; one that cannot be used is moved aside alone (holding nothing). */
  private AcksLog.Contents readAcks() {
    AcksLog.Contents c;
    try {
      SpoolFileSystem.Kind kind = directory.fs().kind(acks.path());
      if (kind != SpoolFileSystem.Kind.MISSING && kind != SpoolFileSystem.Kind.FILE) {
        throw new AcksLog.UnreadableException(
            "not a regular file (" + kind.name().toLowerCase(Locale.ROOT) + ")");
      }
      c = acks.read();
    } catch (IOException e) {
      directory.quarantine(
          acks.path(),
          (e instanceof AcksLog.UnreadableException ? e.getMessage() : "cannot be read (" + e + ")")
              + "; delivered collections may be delivered again");
      return new AcksLog.Contents(new TreeMap<>(), 0);
    }
    if (c.corruptRecords() > 0) {
      corrupt += c.corruptRecords();
      logger.warn(
          "exporter {}: spool acknowledgement log {}: {} corrupt records skipped",
          exporter,
          acks.path(),
          c.corruptRecords());
    }
    return c;
  }

  /**
   * Scans one segment, adding it to {@code out} when something in it is live.
   *
   * @return the largest sequence number in it (-1: none)
   */
  private long recoverSegment(Path p, AcksLog.Contents acked, List<Recovered> out)
      throws IOException {
    SpoolFileSystem.Kind kind = directory.fs().kind(p);
    if (kind != SpoolFileSystem.Kind.FILE) {
      directory.quarantine(p, "not a regular file (" + kind.name().toLowerCase(Locale.ROOT) + ")");
      return SegmentFile.firstSeqOf(p.getFileName().toString()) - 1;
    }
    SegmentFile file = SegmentFile.openExisting(directory.fs(), p);
    SegmentFile.HeaderProblem hp = file.checkHeader();
    if (hp != null) {
      file.close();
      switch (hp.kind()) {
        case TORN -> {
          corrupt++;
          logger.warn(
              "exporter {}: spool segment {} is shorter than its header (a torn create); deleted",
              exporter,
              p);
          directory.fs().deleteIfExists(p);
        }
        case BAD_MAGIC -> {
          corrupt++;
          directory.quarantine(p, "not a spool segment (bad magic)");
        }
        case OTHER_VERSION ->
            directory.quarantine(
                p,
                "written by spool format version "
                    + hp.version()
                    + ", this msb-metrics reads version "
                    + SegmentFile.VERSION);
      }
      return -1;
    }
    long[] maxSeq = {-1};
    long[] firstSeq = {-1};
    long[] prevAt = {0};
    long[] lastKeyframe = {-1};
    List<Found> live = new ArrayList<>();
    List<SegmentFile.Damage> damage =
        file.scan(
            SegmentFile.firstSeqOf(p.getFileName().toString()),
            (offset, h) -> {
              long at;
              if (h.kind() == CollectionCodec.KIND_KEYFRAME) {
                lastKeyframe[0] = offset;
                at = h.collectedAtOrDelta();
              } else {
                at = prevAt[0] + h.collectedAtOrDelta();
              }
              prevAt[0] = at;
              if (firstSeq[0] < 0) {
                firstSeq[0] = h.seq();
              }
              maxSeq[0] = Math.max(maxSeq[0], h.seq());
              if (!acked.isAcked(h.seq())) {
                live.add(new Found(h.seq(), offset, lastKeyframe[0], at));
              }
            });
    for (SegmentFile.Damage d : damage) {
      corrupt++;
      long lost = lostTo(d, acked);
      damaged += lost;
      logger.warn(
          "exporter {}: spool segment {}: {} damaged bytes at offset {} ({}); {} collections lost"
              + " (counted in collections.dropped), the records {} are delivered",
          exporter,
          p,
          d.bytes(),
          d.offset(),
          d.problem(),
          lost,
          d.beforeSeq() == SegmentFile.UNKNOWN ? "before it" : "around it");
    }
    file.close(); // reopened when read: an open descriptor per segment would add up over restarts
    if (live.isEmpty()) {
      file.delete(); // everything in it was delivered or dropped
      return maxSeq[0];
    }
    out.add(new Recovered(file, firstSeq[0], live));
    return maxSeq[0];
  }

  /**
   * The collections a damaged stretch held that were not acknowledged yet: those between the whole
   * records around it; a stretch running to the end (a torn write) held at least one.
   */
  private static long lostTo(SegmentFile.Damage d, AcksLog.Contents acked) {
    long from = d.afterSeq() == SegmentFile.UNKNOWN ? SegmentFile.UNKNOWN : d.afterSeq() + 1;
    if (d.beforeSeq() == SegmentFile.UNKNOWN) {
      return from != SegmentFile.UNKNOWN && acked.isAcked(from) ? 0 : 1;
    }
    if (from == SegmentFile.UNKNOWN) {
      return 1;
    }
    long lost = 0;
    for (long seq = from; seq < d.beforeSeq(); seq++) {
      if (!acked.isAcked(seq)) {
        lost++;
      }
    }
    return lost;
  }
}
