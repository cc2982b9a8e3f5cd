package io.microsandbox.metrics.otel.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/**
 * A reused output buffer that gzip-compresses a request body streamed through it: one array kept
 * across requests (grown to the largest compressed request), no copy of the uncompressed body.
 */
final class GzipBuffer extends ByteArrayOutputStream {
  GzipBuffer() {
    super(64 * 1024);
  }

  /** Compresses {@code length} bytes of {@code body} into this buffer, replacing its content. */
  void compress(byte[] body, int length) {
    reset();
    try (GZIPOutputStream gzip = new GZIPOutputStream(this, 64 * 1024)) {
      gzip.write(body, 0, length);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an in-memory stream does not fail
    }
  }

  /** The backing array, valid up to {@link #size()}. */
  byte[] array() {
    return buf;
  }
}
