package io.microsandbox.metrics.otel.internal;

import io.microsandbox.metrics.otel.internal.OtlpFieldNumbers.Gauge;
import io.microsandbox.metrics.otel.internal.OtlpFieldNumbers.NumberDataPoint;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer with the few protobuf encodings an OTLP metrics request needs (tags,
 * varints, fixed64, length-delimited bytes). Reused: {@link #reset()} keeps the array, so a flush's
 * requests are written into the same memory.
 *
 * <p>Why not protobuf-java's {@code CodedOutputStream}: on the encoder's hot loop it is no faster
 * (PointWriterBenchmark, see docs/benchmarks.md), and it would add the protobuf runtime (a 1.8 MB
 * jar) to a sidecar that needs a handful of its methods and none of its message classes; this
 * writer also grows and is reused across requests.
 */
public final class ProtoWriter {
  /** Wire type: varint. */
  static final int VARINT = 0;

  /** Wire type: 64-bit little-endian. */
  static final int FIXED64 = 1;

  /** Wire type: length-delimited. */
  static final int LEN = 2;

  // one 8-byte little-endian store instead of eight byte stores
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  // Room beyond an exact size: each write checks for its largest encoding (a varint's 10 bytes,
  // a point's 5-byte length prefix) before it knows the actual one, and must not grow the buffer
  // (a doubling) on the last bytes of an exactly sized message.
  private static final int SLACK = 16;

  private byte[] buf;
  private int pos;

  /** An empty writer with {@code capacity} bytes allocated. */
  public ProtoWriter(int capacity) {
    this.buf = new byte[Math.max(16, capacity)];
  }

  /** Forgets the content, keeping the memory. */
  public void reset() {
    pos = 0;
  }

  /**
   * Forgets the content and makes room for exactly {@code bytes} (when there is less): a writer
   * that knows its message's size up front grows to it once, not by doubling past it.
   */
  void resetFor(int bytes) {
    pos = 0;
    if (buf.length < bytes + SLACK) {
      buf = new byte[bytes + SLACK];
    }
  }

  /** Forgets the content and gives back memory beyond {@code bytes}. */
  void shrinkTo(int bytes) {
    pos = 0;
    if (buf.length > bytes + SLACK) {
      buf = new byte[bytes + SLACK];
    }
  }

  /** The bytes allocated. */
  int capacity() {
    return buf.length;
  }

  /** Bytes written. */
  public int length() {
    return pos;
  }

  /** Drops everything written after {@code length} (a mark taken with {@link #length()}). */
  void truncate(int length) {
    pos = length;
  }

  /** The backing array; valid up to {@link #length()} until the next write. */
  public byte[] array() {
    return buf;
  }

  /** Writes the content to {@code out}. */
  public void writeTo(OutputStream out) throws IOException {
    out.write(buf, 0, pos);
  }

  /** A copy of the content. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  private void ensure(int more) {
    if (buf.length - pos < more) {
      long wanted = Math.max((long) buf.length * 2, (long) pos + more);
      if (wanted > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("protobuf buffer over 2 GiB");
      }
      buf = Arrays.copyOf(buf, (int) wanted);
    }
  }

  /** Writes a field tag. */
  void tag(int field, int wireType) {
    varint((field << 3) | wireType);
  }

  /** Writes an unsigned varint (negative values take 10 bytes, as protobuf's int64). */
  void varint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  /** Writes 8 bytes little-endian. */
  void fixed64(long v) {
    ensure(8);
    pos = putLong(buf, pos, v);
  }

  /** Writes raw bytes. */
  void raw(byte[] b, int from, int length) {
    ensure(length);
    System.arraycopy(b, from, buf, pos, length);
    pos += length;
  }

  /** Writes raw bytes. */
  void raw(byte[] b) {
    raw(b, 0, b.length);
  }

  /** Writes a length-delimited field holding {@code b}. */
  void bytesField(int field, byte[] b) {
    tag(field, LEN);
    varint(b.length);
    raw(b);
  }

  /** Writes a string field (UTF-8). */
  void stringField(int field, String s) {
    bytesField(field, s.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes a varint field. */
  void varintField(int field, long v) {
    tag(field, VARINT);
    varint(v);
  }

  /** Writes a fixed64 field. */
  void fixed64Field(int field, long v) {
    tag(field, FIXED64);
    fixed64(v);
  }

  /** Writes a double field. */
  void doubleField(int field, double v) {
    fixed64Field(field, Double.doubleToRawLongBits(v));
  }

  /**
   * Writes one {@code NumberDataPoint} as a repeated {@code data_points} field (of {@code Gauge} /
   * {@code Sum}, the same number in both): attributes already encoded, start and time, the value as
   * {@code as_int} or {@code as_double}. One bounds check for the whole point: this is the hot
   * path.
   *
   * @param attributes encoded {@code attributes} fields
   * @param length the point message's length, {@code attributes.length + 27}
   * @param valueField {@link NumberDataPoint#AS_INT} or {@link NumberDataPoint#AS_DOUBLE}
   */
  public void numberPoint(
      byte[] attributes, int length, long start, long time, int valueField, long bits) {
    ensure(length + 6);
    byte[] b = buf;
    int p = pos;
    b[p++] = (byte) ((Gauge.DATA_POINTS << 3) | LEN);
    int len = length;
    while ((len & ~0x7F) != 0) {
      b[p++] = (byte) ((len & 0x7F) | 0x80);
      len >>>= 7;
    }
    b[p++] = (byte) len;
    System.arraycopy(attributes, 0, b, p, attributes.length);
    p += attributes.length;
    b[p++] = (byte) ((NumberDataPoint.START_TIME_UNIX_NANO << 3) | FIXED64);
    p = putLong(b, p, start);
    b[p++] = (byte) ((NumberDataPoint.TIME_UNIX_NANO << 3) | FIXED64);
    p = putLong(b, p, time);
    b[p++] = (byte) ((valueField << 3) | FIXED64);
    pos = putLong(b, p, bits);
  }

  private static int putLong(byte[] b, int p, long v) {
    LONG_LE.set(b, p, v);
    return p + 8;
  }

  /** The bytes {@link #varint(long)} takes for {@code v}. */
  static int varintSize(long v) {
    if (v < 0) {
      return 10;
    }
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      n++;
      v >>>= 7;
    }
    return n;
  }

  /** The bytes of a length-delimited field of {@code length} content bytes (tag &lt; 16). */
  static int lenFieldSize(long length) {
    return 1 + varintSize(length) + (int) length;
  }
}
