package io.microsandbox.metrics.registry.internal;

import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 exactly as Rust's {@code String::from_utf8_lossy} (what microsandbox's reader
 * shows): each maximal invalid subpart becomes one U+FFFD.
 *
 * <p>Java's own decoder agrees except on encoded surrogates ({@code ED A0..BF xx}): it replaces the
 * three bytes with one U+FFFD where Rust emits three. Names are decoded once per slot generation,
 * so this small loop costs nothing that matters.
 */
public final class Utf8Lossy {
  private static final char REPLACEMENT = '\uFFFD';

  private Utf8Lossy() {}

  /** Decodes {@code len} bytes of {@code bytes} from {@code off}. */
  public static String decode(byte[] bytes, int off, int len) {
    int end = off + len;
    int i = off;
    while (i < end && bytes[i] >= 0) {
      i++;
    }
    if (i == end) {
      return new String(bytes, off, len, StandardCharsets.ISO_8859_1); // all ASCII
    }
    StringBuilder out = new StringBuilder(len);
    for (int k = off; k < i; k++) {
      out.append((char) bytes[k]);
    }
    while (i < end) {
      int b0 = bytes[i] & 0xff;
      if (b0 < 0x80) {
        out.append((char) b0);
        i++;
        continue;
      }
      int width =
          b0 >= 0xc2 && b0 <= 0xdf
              ? 2
              : b0 >= 0xe0 && b0 <= 0xef ? 3 : b0 >= 0xf0 && b0 <= 0xf4 ? 4 : 0;
      // how many bytes form a valid prefix of a sequence starting at i (1 = just the lead)
      int valid = 1;
      if (width > 0 && i + 1 < end && secondByteOk(b0, bytes[i + 1] & 0xff)) {
        valid = 2;
        while (valid < width && i + valid < end && isContinuation(bytes[i + valid])) {
          valid++;
        }
      }
      if (width > 0 && valid == width) {
        int cp = b0 & (0x7f >> width);
        for (int k = 1; k < width; k++) {
          cp = (cp << 6) | (bytes[i + k] & 0x3f);
        }
        out.appendCodePoint(cp);
      } else {
        out.append(REPLACEMENT); // the maximal invalid subpart
      }
      i += valid;
    }
    return out.toString();
  }

  private static boolean secondByteOk(int b0, int b1) {
    switch (b0) {
      case 0xe0:
        return b1 >= 0xa0 && b1 <= 0xbf; // no overlong forms
      case 0xed:
        return b1 >= 0x80 && b1 <= 0x9f; // no surrogates
      case 0xf0:
        return b1 >= 0x90 && b1 <= 0xbf; // no overlong forms
      case 0xf4:
        return b1 >= 0x80 && b1 <= 0x8f; // nothing above U+10FFFF
      default:
        return b1 >= 0x80 && b1 <= 0xbf;
    }
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xc0) == 0x80;
  }
}
