package io.microsandbox.metrics.spool.internal;

import java.nio.charset.StandardCharsets;

/** Reads what {@link ByteSink} wrote; a read past the end is a {@link CorruptRecordException}. */
final class ByteSource {
  private final byte[] buf;
  private int pos;
  private final int end;

  ByteSource(byte[] buf, int offset, int length) {
    this.buf = buf;
    this.pos = offset;
    this.end = offset + length;
  }

  boolean atEnd() {
    return pos == end;
  }

  int readByte() {
    if (pos >= end) {
      throw new CorruptRecordException("record ends early");
    }
    return buf[pos++] & 0xFF;
  }

  long readVarLong() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = readByte();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new CorruptRecordException("varint longer than 10 bytes");
  }

  int readVarInt() {
    long v = readVarLong();
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw new CorruptRecordException("count out of range: " + v);
    }
    return (int) v;
  }

  /**
   * Reads a count of items that each take at least {@code minBytes}, checked against the bytes left
   * before the caller allocates anything for them.
   */
  int readCount(int minBytes, String what) {
    long v = readVarLong();
    long room = (end - pos) / minBytes;
    if (v < 0 || v > room) {
      throw new CorruptRecordException(
          "a count of "
              + Long.toUnsignedString(v)
              + " "
              + what
              + " where the record has room for at most "
              + room);
    }
    return (int) v;
  }

  long readZigZag() {
    long v = readVarLong();
    return (v >>> 1) ^ -(v & 1);
  }

  String readString() {
    int n = readVarInt();
    if (n > end - pos) {
      throw new CorruptRecordException("string longer than its record");
    }
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }
}
