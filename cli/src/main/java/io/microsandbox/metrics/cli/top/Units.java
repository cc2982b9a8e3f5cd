package io.microsandbox.metrics.cli.top;

import java.util.Locale;

/** How the view writes bytes, rates, vCPUs and durations. */
final class Units {
  private static final String[] BYTE_UNITS = {"B", "K", "M", "G", "T", "P", "E"};

  private Units() {}

  /** An unsigned 64-bit value as a double (exact up to 2^53, then the nearest double). */
  static double unsignedToDouble(long v) {
    return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
  }

  /**
   * Bytes in binary units, short as top writes them, three significant digits: {@code 512B}, {@code
   * 64K}, {@code 1.3M}, {@code 412M}, {@code 1.0G} (K = 1024 bytes). A row of the table then fits
   * in 80 columns.
   */
  static String bytes(double bytes) {
    if (!(bytes >= 1024)) {
      return Math.round(Math.max(0, bytes)) + "B";
    }
    double v = bytes;
    int unit = 0;
    while (v >= 1024 && unit < BYTE_UNITS.length - 1) {
      v /= 1024;
      unit++;
    }
    return v < 9.95
        ? String.format(Locale.ROOT, "%.1f%s", v, BYTE_UNITS[unit])
        : Math.round(v) + BYTE_UNITS[unit];
  }

  /** Unsigned bytes, see {@link #bytes(double)}. */
  static String bytes(long unsigned) {
    return bytes(unsignedToDouble(unsigned));
  }

  /** Busy vCPUs with two decimals ({@code 0.80}). */
  static String vcpus(double busy) {
    return String.format(Locale.ROOT, "%.2f", busy);
  }

  /**
   * A duration as a live view wants it, coarser as it grows: {@code 42s}, {@code 12m05s}, {@code
   * 3h07m}, {@code 2d04h}.
   */
  static String duration(long ms) {
    long s = Math.max(0, ms) / 1000;
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    if (s < 86_400) {
      return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }
    return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, s % 86_400 / 3600);
  }
}
