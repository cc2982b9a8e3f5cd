package io.microsandbox.metrics.spool.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * One segment file: its header, the framing of its records (length, CRC-32C, payload) and the one
 * reader of a record that both the open-time scan and the decoding of an entry use.
 *
 * <pre>
 * seg-&lt;first seq, 20 digits&gt;.log
 *   header  "MSBSPOOL" u32 version u32 0                      (16 bytes, big-endian)
 *   record  u32 length, u32 crc32c(payload), payload           (8 + length bytes)
 * </pre>
 *
 * <p>A segment is only ever appended to by the process that created it, and only at its end, so
 * after a crash damage from a torn write can only be at its tail. Damage elsewhere (a flipped bit,
 * a bad sector) costs only the records it touches: every record is a keyframe, decodable alone.
 */
final class SegmentFile implements AutoCloseable {
  /** The format version this code writes and reads (segments and the acks log alike). */
  static final int VERSION = 1;

  static final byte[] MAGIC = "MSBSPOOL".getBytes(StandardCharsets.US_ASCII);
  static final int FILE_HEADER = 16;
  static final int RECORD_HEADER = 8;
  static final String PREFIX = "seg-";
  static final String SUFFIX = ".log";

  /** A sequence number not known (a segment whose name does not carry one; a torn tail's end). */
  static final long UNKNOWN = Long.MIN_VALUE;

  final Path path;
  private final SpoolFileSystem fs;
  private @Nullable FileChannel writer;
  private @Nullable FileChannel reader;

  /** Bytes of whole records (and the header) the file holds. */
  long size;

  private SegmentFile(SpoolFileSystem fs, Path path) {
    this.fs = fs;
    this.path = path;
  }

  /** The file name of the segment whose first record has sequence number {@code firstSeq}. */
  static String fileName(long firstSeq) {
    return String.format("%s%020d%s", PREFIX, firstSeq, SUFFIX);
  }

  /** Whether a directory entry is named like a segment. */
  static boolean isSegmentName(String fileName) {
    return fileName.startsWith(PREFIX) && fileName.endsWith(SUFFIX);
  }

  /** The first sequence number a segment's file name gives, or -1 when it gives none. */
  static long firstSeqOf(String fileName) {
    if (!isSegmentName(fileName)) {
      return -1;
    }
    String digits = fileName.substring(PREFIX.length(), fileName.length() - SUFFIX.length());
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Creates a new segment (never an existing file) with its header, forced to disk with its
   * directory entry, ready for appends.
   */
  static SegmentFile create(SpoolFileSystem fs, Path dir, long firstSeq) throws IOException {
    Path p = dir.resolve(fileName(firstSeq));
    SegmentFile seg = new SegmentFile(fs, p);
    FileChannel ch =
        fs.open(
            p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      ByteBuffer hb = ByteBuffer.allocate(FILE_HEADER);
      hb.put(MAGIC).putInt(VERSION).putInt(0).flip();
      writeFully(ch, hb, 0);
      ch.force(true);
      fs.forceDirectory(dir);
    } catch (IOException e) {
      closeQuietly(ch);
      fs.deleteIfExists(p);
      throw e;
    }
    seg.writer = ch;
    seg.size = FILE_HEADER;
    return seg;
  }

  /** An existing segment, opened for reading only. */
  static SegmentFile openExisting(SpoolFileSystem fs, Path path) throws IOException {
    SegmentFile seg = new SegmentFile(fs, path);
    seg.reader = fs.open(path, StandardOpenOption.READ);
    seg.size = seg.reader.size();
    return seg;
  }

  /**
   * Checks the file header.
   *
   * @return null when it is a segment of this version, else what is wrong
   */
  @Nullable HeaderProblem checkHeader() throws IOException {
    ByteBuffer header = ByteBuffer.allocate(FILE_HEADER);
    readFully(channel(), header, 0);
    if (header.position() < FILE_HEADER) {
      return new HeaderProblem(HeaderProblem.Kind.TORN, 0);
    }
    header.flip();
    byte[] magic = new byte[MAGIC.length];
    header.get(magic);
    int version = header.getInt();
    if (!Arrays.equals(magic, MAGIC)) {
      return new HeaderProblem(HeaderProblem.Kind.BAD_MAGIC, version);
    }
    if (version != VERSION) {
      return new HeaderProblem(HeaderProblem.Kind.OTHER_VERSION, version);
    }
    return null;
  }

  /** What is wrong with a segment's header. */
  record HeaderProblem(Kind kind, int version) {
    enum Kind {
      /** Shorter than a header: a crash while the file was created. */
      TORN,
      /** Not a spool segment at all. */
      BAD_MAGIC,
      /** A segment of another format version. */
      OTHER_VERSION
    }
  }

  /**
   * Reads and checks the record at {@code pos}: its length against the file, then its CRC. The
   * payload array is exactly the record's length, which the file's size bounds.
   *
   * @throws CorruptRecordException when the record is torn or damaged, saying how
   */
  Frame read(long pos) throws IOException {
    FileChannel ch = channel();
    ByteBuffer rh = ByteBuffer.allocate(RECORD_HEADER);
    readFully(ch, rh, pos);
    if (rh.position() < RECORD_HEADER) {
      throw new CorruptRecordException(
          "the file ends " + (size - pos) + " bytes into a record header (a torn write)");
    }
    rh.flip();
    int len = rh.getInt();
    int expected = rh.getInt();
    long room = size - pos - RECORD_HEADER;
    if (len <= 0) {
      throw new CorruptRecordException(
          len == 0
              ? "zero bytes where a record should start"
              : "a record header with an impossible length (" + Integer.toUnsignedLong(len) + ")");
    }
    if (len > room) {
      throw new CorruptRecordException(
          "the file ends inside a record ("
              + len
              + " bytes announced, "
              + room
              + " present: a torn write)");
    }
    byte[] payload = new byte[len];
    ByteBuffer pb = ByteBuffer.wrap(payload);
    readFully(ch, pb, pos + RECORD_HEADER);
    if (pb.hasRemaining()) {
      throw new CorruptRecordException("the file is shorter than when it was opened");
    }
    CRC32C crc = new CRC32C();
    crc.update(payload, 0, len);
    if ((int) crc.getValue() != expected) {
      throw new CorruptRecordException("checksum mismatch (the record's bytes changed)");
    }
    return new Frame(pos, payload);
  }

  /** One record read back: where it starts, its checked payload. */
  record Frame(long offset, byte[] payload) {
    /** Where the next record starts. */
    long end() {
      return offset + RECORD_HEADER + payload.length;
    }
  }

  /** Told about each whole record a {@link SegmentFile#scan scan} finds. */
  interface RecordVisitor {
    /** The record at {@code offset}, its header decoded. */
    void record(long offset, CollectionCodec.Header header);
  }

  /**
   * A damaged stretch of a segment: where, how many bytes, what is wrong (plain words), and the
   * sequence numbers of the whole records around it ({@link #UNKNOWN} when there is none: before,
   * the first record and a name without a number; after, damage running to the end of the file).
   * Sequence numbers are consecutive within a segment, so the records lost are those in between.
   */
  record Damage(long offset, long bytes, String problem, long afterSeq, long beforeSeq) {}

  /**
   * Reads every record from the header on and reports each whole one. A record that is damaged is
   * skipped alone: the scan resynchronises on the next valid frame (a sane length, a keyframe with
   * a later sequence number, a matching CRC), as write-ahead logs do. Damage that runs to the end
   * of the file (a torn write) is cut off, so the next append never follows garbage.
   *
   * @param firstSeq the sequence number the file's name says its first record has (-1: unknown)
   * @return the damaged stretches, in file order (empty when every record was whole)
   */
  List<Damage> scan(long firstSeq, RecordVisitor visitor) throws IOException {
    List<Damage> damage = new ArrayList<>();
    long pos = FILE_HEADER;
    long lastSeq = firstSeq >= 0 ? firstSeq - 1 : UNKNOWN;
    boolean haveKeyframe = false;
    while (pos < size) {
      String problem;
      try {
        Frame f = read(pos);
        CollectionCodec.Header h = CollectionCodec.header(f.payload(), f.payload().length);
        if (h.kind() == CollectionCodec.KIND_DELTA && !haveKeyframe) {
          throw new CorruptRecordException("a delta record without its keyframe");
        }
        haveKeyframe = true;
        visitor.record(pos, h);
        lastSeq = h.seq();
        pos = f.end();
        continue;
      } catch (CorruptRecordException e) {
        problem = e.getMessage();
      }
      long next = resync(pos + 1, lastSeq);
      if (next < 0) {
        damage.add(new Damage(pos, size - pos, problem, lastSeq, UNKNOWN));
        try {
          truncate(pos);
        } catch (IOException e) {
          size = pos; // read-only: nothing past the damage is read, and nothing is appended here
        }
        break;
      }
      byte[] resumed = read(next).payload();
      long nextSeq = CollectionCodec.header(resumed, resumed.length).seq();
      damage.add(new Damage(pos, next - pos, problem, lastSeq, nextSeq));
      haveKeyframe = false;
      pos = next;
    }
    return damage;
  }

  /**
   * The offset of the first valid keyframe at or after {@code from} whose sequence number follows
   * {@code afterSeq} ({@link #UNKNOWN}: any), or -1. Cheap checks first (length fits, sequence
   * number plausible for the bytes skipped, keyframe), the CRC only then.
   */
  private long resync(long from, long afterSeq) throws IOException {
    Window w = new Window(channel(), size);
    for (long p = from; p + RECORD_HEADER + 2 <= size; p++) {
      long len = w.u32(p);
      if (len <= 0 || len > size - p - RECORD_HEADER) {
        continue;
      }
      long seq = w.varint(p + RECORD_HEADER);
      if (seq < 0
          || (afterSeq != UNKNOWN && (seq <= afterSeq || seq > afterSeq + 1 + (p - from)))) {
        continue;
      }
      int kindAt = w.varintLength(p + RECORD_HEADER);
      if (kindAt < 0 || w.get(p + RECORD_HEADER + kindAt) != CollectionCodec.KIND_KEYFRAME) {
        continue;
      }
      try {
        Frame f = read(p);
        CollectionCodec.header(f.payload(), f.payload().length);
        return p;
      } catch (CorruptRecordException e) {
        // not a frame after all
      }
    }
    return -1;
  }

  /** A moving window over the file for the resynchronising scan, read in 64 KiB chunks. */
  private static final class Window {
    private final FileChannel ch;
    private final long fileSize;
    private final ByteBuffer buf = ByteBuffer.allocate(64 << 10);
    private long start = -1;
    private int length;

    Window(FileChannel ch, long fileSize) {
      this.ch = ch;
      this.fileSize = fileSize;
    }

    /** The byte at {@code p}, or -1 past the end. */
    int get(long p) throws IOException {
      if (p >= fileSize) {
        return -1;
      }
      if (start < 0 || p < start || p >= start + length) {
        buf.clear();
        readFully(ch, buf, p);
        start = p;
        length = buf.position();
        if (length == 0) {
          return -1;
        }
      }
      return buf.get((int) (p - start)) & 0xFF;
    }

    long u32(long p) throws IOException {
      long v = 0;
      for (int i = 0; i < 4; i++) {
        int b = get(p + i);
        if (b < 0) {
          return -1;
        }
        v = (v << 8) | b;
      }
      return (int) v;
    }

    /** The unsigned LEB128 varint at {@code p}, or -1 when there is none. */
    long varint(long p) throws IOException {
      long v = 0;
      for (int i = 0; i < 9; i++) {
        int b = get(p + i);
        if (b < 0) {
          return -1;
        }
        v |= (long) (b & 0x7F) << (7 * i);
        if ((b & 0x80) == 0) {
          return v;
        }
      }
      return -1;
    }

    int varintLength(long p) throws IOException {
      for (int i = 0; i < 9; i++) {
        int b = get(p + i);
        if (b < 0) {
          return -1;
        }
        if ((b & 0x80) == 0) {
          return i + 1;
        }
      }
      return -1;
    }
  }

  /**
   * Frames a record in {@code sink}: its first {@link #RECORD_HEADER} bytes were reserved, the
   * payload follows; fills in the length and the CRC.
   */
  static void frame(ByteSink sink) {
    int len = sink.size() - RECORD_HEADER;
    CRC32C crc = new CRC32C();
    crc.update(sink.array(), RECORD_HEADER, len);
    sink.setInt(0, len);
    sink.setInt(4, (int) crc.getValue());
  }

  /**
   * Appends a framed record at the end; on failure cuts the file back to its last whole record and
   * throws.
   */
  void append(ByteSink framed) throws IOException {
    FileChannel ch = writer();
    try {
      writeFully(ch, framed.asBuffer(), size);
    } catch (IOException | RuntimeException e) {
      try {
        ch.truncate(size);
      } catch (IOException ignored) {
        // the next open cuts a torn tail off by its checksum
      }
      throw e;
    }
    size += framed.size();
  }

  /** Forces appended records to stable storage. */
  void force() throws IOException {
    writer().force(false);
  }

  /** Cuts the file to {@code length} bytes (a torn tail found by a scan). */
  void truncate(long length) throws IOException {
    try (FileChannel ch = fs.open(path, StandardOpenOption.WRITE)) {
      ch.truncate(length);
    }
    size = length;
  }

  /** Whether this segment is open for appends (the one being written). */
  boolean writable() {
    return writer != null;
  }

  private FileChannel writer() throws IOException {
    if (writer == null) {
      throw new IOException("spool segment " + path + " is not open for writing");
    }
    return writer;
  }

  private FileChannel channel() throws IOException {
    if (writer != null) {
      return writer;
    }
    if (reader == null) {
      reader = fs.open(path, StandardOpenOption.READ);
    }
    return reader;
  }

  /** Closes the file's channels; it can be read again (reopened) later. */
  @Override
  public void close() {
    closeQuietly(writer);
    closeQuietly(reader);
    writer = null;
    reader = null;
  }

  /** Closes and deletes the file. */
  void delete() throws IOException {
    close();
    fs.deleteIfExists(path);
  }

  static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      int n = ch.read(b, pos);
      if (n < 0) {
        return;
      }
      pos += n;
    }
  }

  static void writeFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      pos += ch.write(b, pos);
    }
  }

  static void closeQuietly(@Nullable AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception e) {
        // nothing to do: the file is gone or the process is ending
      }
    }
  }
}
