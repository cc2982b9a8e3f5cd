package io.microsandbox.metrics.otel.internal;

import java.nio.charset.StandardCharsets;

/**
 * A minimal reader of protobuf varint and length-delimited fields, for the two small messages the
 * exporter reads from responses ({@code google.rpc.Status}, the OTLP partial success) without the
 * protobuf runtime.
 */
final class ProtoFields {
  private final byte[] b;
  private final int end;
  private int pos;
  private int field;
  private int wire;
  private long varint;
  private int start;
  private int length;
  private boolean ok = true;

  ProtoFields(byte[] b, int from, int to) {
    this.b = b;
    this.pos = from;
    this.end = to;
  }

  /** Advances to the next field; false at the end or on malformed input. */
  boolean next() {
    if (!ok || pos >= end) {
      return false;
    }
    long tag = readVarint();
    field = (int) (tag >>> 3);
    wire = (int) (tag & 7);
    if (wire == 0) {
      varint = readVarint();
    } else if (wire == 2) {
      long len = readVarint();
      if (len < 0 || pos + len > end) {
        ok = false;
      } else {
        start = pos;
        length = (int) len;
        pos += length;
      }
    } else if (wire == 1 || wire == 5) {
      pos += wire == 1 ? 8 : 4;
      ok = pos <= end;
    } else {
      ok = false;
    }
    return ok;
  }

  int field() {
    return field;
  }

  boolean isBytes() {
    return wire == 2;
  }

  long varint() {
    return varint;
  }

  String string() {
    return new String(b, start, length, StandardCharsets.UTF_8);
  }

  ProtoFields nested() {
    return new ProtoFields(b, start, start + length);
  }

  boolean ok() {
    return ok;
  }

  private long readVarint() {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        ok = false;
        return 0;
      }
      byte x = b[pos++];
      value |= (long) (x & 0x7f) << shift;
      if (x >= 0) {
        return value;
      }
    }
    ok = false;
    return 0;
  }
}
