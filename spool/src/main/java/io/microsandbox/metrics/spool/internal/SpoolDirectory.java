package io.microsandbox.metrics.spool.internal;

import io.microsandbox.metrics.collector.spool.SpoolInUseException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exporter's spool directory as a place: taking and releasing its lock, listing what is in it,
 * moving an unusable entry (or the whole directory) aside, and pacing the retries of a directory
 * that cannot be used yet.
 */
final class SpoolDirectory {
  private static final Logger logger = LoggerFactory.getLogger(DiskSpool.class);

  static final String LOCK = "LOCK";
  static final String ASIDE_MARK = ".unreadable-";

  /** How long an unusable directory is left alone before the next attempt. */
  static final long RETRY_MS = 5_000;

  private final String exporter;
  private final Path dir;
  private final SpoolFileSystem fs;
  private final LongSupplier clock;
  private @Nullable FileChannel lockChannel;
  private @Nullable FileLock lock;
  private long lastAttemptMs = Long.MIN_VALUE;

  SpoolDirectory(String exporter, Path dir, SpoolFileSystem fs, LongSupplier clock) {
    this.exporter = exporter;
    this.dir = dir;
    this.fs = fs;
    this.clock = clock;
  }

  Path path() {
    return dir;
  }

  SpoolFileSystem fs() {
    return fs;
  }

  /** Whether the last attempt to use the directory is long enough ago to try again. */
  boolean retryDue() {
    return clock.getAsLong() - lastAttemptMs >= RETRY_MS;
  }

  /**
   * Creates the directory if needed (moving a non-directory in its place aside) and takes its lock.
   *
   * @param atStart whether this is the first attempt (another holder is then a {@link
   *     SpoolInUseException}; later, an IOException like any other reason to retry)
   */
  void lock(boolean atStart) throws IOException {
    lastAttemptMs = clock.getAsLong();
    // the directory itself may be a symbolic link to one (an operator's choice); a regular file
    // where it should be is moved aside
    if (fs.kind(dir) == SpoolFileSystem.Kind.FILE) {
      moveAside(dir, "not a directory");
    }
    fs.createDirectories(dir);
    takeLock(atStart);
  }

  private void takeLock(boolean atStart) throws IOException {
    Path lockPath = dir.resolve(LOCK);
    SpoolFileSystem.Kind kind = fs.kind(lockPath);
    if (kind != SpoolFileSystem.Kind.MISSING && kind != SpoolFileSystem.Kind.FILE) {
      // a directory or a symbolic link named LOCK: no process can hold it, so nothing is lost by
      // moving it aside; waiting for it would never end
      moveAside(lockPath, "not a regular file (" + kind.name().toLowerCase(Locale.ROOT) + ")");
    }
    FileChannel ch = fs.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null;
    } catch (IOException e) {
      SegmentFile.closeQuietly(ch);
      throw e;
    }
    if (l == null) {
      SegmentFile.closeQuietly(ch);
      String msg =
          "spool directory " + dir + " is in use by another msb-metrics process (" + LOCK + ")";
      if (atStart) {
        throw new SpoolInUseException(msg);
      }
      throw new IOException(msg);
    }
    lockChannel = ch;
    lock = l;
  }

  /** Whether the directory exists but cannot be listed (no permission to read it). */
  boolean unreadable() {
    try {
      if (fs.kind(dir) != SpoolFileSystem.Kind.DIRECTORY) {
        return false;
      }
      fs.list(dir);
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** Releases the lock (the OS releases it too when the process dies). */
  void release() {
    if (lock != null) {
      try {
        lock.release();
      } catch (IOException e) {
        logger.debug("releasing the spool lock failed: {}", e.toString());
      }
      lock = null;
    }
    SegmentFile.closeQuietly(lockChannel);
    lockChannel = null;
  }

  /** What the directory holds, by role. */
  record Listing(List<Path> segments, int unknown) {}

  /** Lists the directory: segment files sorted by name (= by first sequence number). */
  Listing list() throws IOException {
    List<Path> segments = new ArrayList<>();
    int unknown = 0;
    for (Path p : fs.list(dir)) {
      String f = p.getFileName().toString();
      if (SegmentFile.isSegmentName(f)) {
        segments.add(p);
      } else if (!f.equals(LOCK) && !f.equals(AcksLog.NAME) && !f.contains(ASIDE_MARK)) {
        unknown++;
      }
    }
    segments.sort(null);
    if (unknown > 0) {
      logger.warn(
          "exporter {}: ignoring {} unknown files in spool directory {}", exporter, unknown, dir);
    }
    return new Listing(segments, unknown);
  }

  /**
   * Renames an entry {@code <name>.unreadable-<time>} beside itself, with an ERROR naming both
   * paths and why.
   */
  Path moveAside(Path p, String why) throws IOException {
    Path aside = p.resolveSibling(p.getFileName() + ASIDE_MARK + clock.getAsLong());
    fs.move(p, aside, false);
    logger.error("exporter {}: spool file {} is {}; moved aside to {}", exporter, p, why, aside);
    return aside;
  }

  /**
   * Moves an entry aside like {@link #moveAside}; when even that fails, says so (ERROR) and leaves
   * it: it is then ignored until the next start.
   */
  void quarantine(Path p, String why) {
    try {
      moveAside(p, why);
    } catch (IOException e) {
      logger.error(
          "exporter {}: spool file {} is {} and cannot be moved aside ({}); ignored",
          exporter,
          p,
          why,
          e.toString());
    }
  }

  /**
   * The directory cannot be read at all: moves it aside whole and starts over in a new, empty,
   * locked one (an ERROR names both paths).
   */
  void startOver(Exception cause) throws IOException {
    release();
    Path aside = dir.resolveSibling(dir.getFileName() + ASIDE_MARK + clock.getAsLong());
    fs.move(dir, aside, false);
    logger.error(
        "exporter {}: spool directory {} cannot be read ({}); moved aside to {}, starting with an"
            + " empty spool",
        exporter,
        dir,
        cause.toString(),
        aside);
    fs.createDirectories(dir);
    try {
      takeLock(false);
    } catch (IOException e) {
      throw new IOException("spool directory " + dir + " was taken by another process", e);
    }
  }

  /** Makes new, renamed and deleted entries durable; a failure only costs durability. */
  void force() {
    try {
      fs.forceDirectory(dir);
    } catch (IOException e) {
      logger.debug("syncing spool directory {} failed: {}", dir, e.toString());
    }
  }
}
