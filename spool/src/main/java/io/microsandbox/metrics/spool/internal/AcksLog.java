package io.microsandbox.metrics.spool.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The acknowledgement log: the sequence numbers that left the spool (delivered, refused for good,
 * dropped by a cap), so that a restart does not deliver them again.
 *
 * <pre>
 * acks     "MSBACKS\0" u32 version u32 0, then 20-byte records:
 *            i64 from_seq, i64 to_seq, u32 crc32c(from, to)
 * </pre>
 *
 * <p>A removal appends one record; the log is rewritten whole (compacted to the removed ranges
 * within the live segments) at every open and once it grows past {@link #COMPACT_BYTES}, through a
 * temporary file renamed over it, so a crash leaves either the old or the new log.
 */
final class AcksLog implements AutoCloseable {
  static final String NAME = "acks";
  static final String TMP_NAME = NAME + ".tmp";
  static final byte[] MAGIC = "MSBACKS\0".getBytes(StandardCharsets.US_ASCII);
  static final int RECORD = 20;
  static final long COMPACT_BYTES = 1 << 20;

  private final SpoolFileSystem fs;
  private final Path path;
  private @Nullable FileChannel channel;
  private long bytes;

  AcksLog(SpoolFileSystem fs, Path dir) {
    this.fs = fs;
    this.path = dir.resolve(NAME);
  }

  Path path() {
    return path;
  }

  /** The removed sequence numbers a log holds, as merged ranges from -> to (inclusive). */
  record Contents(TreeMap<Long, Long> ranges, int corruptRecords) {
    boolean isAcked(long seq) {
      Map.Entry<Long, Long> e = ranges.floorEntry(seq);
      return e != null && e.getValue() >= seq;
    }

    /** The largest sequence number acknowledged, or -1. */
    long maxSeq() {
      return ranges.isEmpty() ? -1 : ranges.lastEntry().getValue();
    }
  }

  /** Why a log cannot be read at all (it is then moved aside by the caller). */
  static final class UnreadableException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    UnreadableException(String message) {
      super(message);
      this.reason = message;
    }

    /** The one-line reason given when it was thrown (never null). */
    @Override
    public String getMessage() {
      return reason;
    }
  }

  /**
   * Reads the log; a missing or header-less log holds nothing, a record failing its CRC is skipped
   * and counted.
   *
   * @throws UnreadableException when the file is not an acks log of this version
   */
  Contents read() throws IOException {
    TreeMap<Long, Long> ranges = new TreeMap<>();
    if (fs.kind(path) == SpoolFileSystem.Kind.MISSING) {
      return new Contents(ranges, 0);
    }
    byte[] all;
    try (FileChannel ch = fs.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE - 16) {
        throw new UnreadableException("too large for an acknowledgement log (" + size + " bytes)");
      }
      ByteBuffer b = ByteBuffer.allocate((int) size);
      SegmentFile.readFully(ch, b, 0);
      all = Arrays.copyOf(b.array(), b.position());
    }
    if (all.length < SegmentFile.FILE_HEADER) {
      return new Contents(ranges, 0);
    }
    ByteBuffer b = ByteBuffer.wrap(all);
    byte[] magic = new byte[MAGIC.length];
    b.get(magic);
    int version = b.getInt();
    b.getInt();
    if (!Arrays.equals(magic, MAGIC)) {
      throw new UnreadableException(
          "not a spool acknowledgement log (bad magic); delivered collections may be sent again");
    }
    if (version != SegmentFile.VERSION) {
      throw new UnreadableException(
          "written by spool format version " + version + ", this one reads " + SegmentFile.VERSION);
    }
    int corrupt = 0;
    CRC32C crc = new CRC32C();
    while (b.remaining() >= RECORD) {
      int at = b.position();
      long from = b.getLong();
      long to = b.getLong();
      int expected = b.getInt();
      crc.reset();
      crc.update(all, at, 16);
      if ((int) crc.getValue() != expected || from > to) {
        corrupt++;
        continue;
      }
      addRange(ranges, from, to);
    }
    return new Contents(ranges, corrupt);
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

  /**
   * Replaces the log with one holding exactly {@code ranges} (from, to inclusive), forced to disk
   * before it replaces the old one, and keeps it open for appends.
   */
  void rewrite(List<long[]> ranges) throws IOException {
    SegmentFile.closeQuietly(channel);
    channel = null;
    Path tmp = path.resolveSibling(TMP_NAME);
    ByteBuffer hb = ByteBuffer.allocate(SegmentFile.FILE_HEADER);
    hb.put(MAGIC).putInt(SegmentFile.VERSION).putInt(0).flip();
    // created exclusively: whatever is in its place (a leftover, a symbolic link planted there) is
    // removed first, never written through
    fs.deleteIfExists(tmp);
    try (FileChannel ch = fs.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      SegmentFile.writeFully(ch, hb, 0);
      long pos = SegmentFile.FILE_HEADER;
      for (long[] r : ranges) {
        SegmentFile.writeFully(ch, record(r[0], r[1]), pos);
        pos += RECORD;
      }
      ch.force(true);
    }
    fs.move(tmp, path, true);
    channel = fs.open(path, StandardOpenOption.WRITE);
    bytes = channel.size();
  }

  /** Appends the removal of {@code seq}; not forced (see {@link #force}). */
  void append(long seq) throws IOException {
    if (channel == null) {
      throw new IOException("the acknowledgement log " + path + " is not open");
    }
    SegmentFile.writeFully(channel, record(seq, seq), bytes);
    bytes += RECORD;
  }

  /** Whether the log outgrew {@link #COMPACT_BYTES} and should be rewritten. */
  boolean needsCompaction() {
    return bytes > COMPACT_BYTES;
  }

  /** Bytes of the log on disk. */
  long bytes() {
    return bytes;
  }

  /** Forces the appended removals to stable storage. */
  void force() throws IOException {
    if (channel != null) {
      channel.force(false);
    }
  }

  private static ByteBuffer record(long from, long to) {
    ByteBuffer rb = ByteBuffer.allocate(RECORD);
    rb.putLong(from).putLong(to);
    CRC32C crc = new CRC32C();
    crc.update(rb.array(), 0, 16);
    rb.putInt((int) crc.getValue()).flip();
    return rb;
  }

  @Override
  public void close() {
    SegmentFile.closeQuietly(channel);
    channel = null;
  }
}
