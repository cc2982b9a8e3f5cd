package io.microsandbox.metrics.cli.top;

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
    return v < 9.95 ? fixed(v, 1) + BYTE_UNITS[unit] : Math.round(v) + BYTE_UNITS[unit];
  }

  /** Unsigned bytes, see {@link #bytes(double)}. */
  static String bytes(long unsigned) {
    return bytes(unsignedToDouble(unsigned));
  }

  /** Busy vCPUs with two decimals ({@code 0.80}). */
  static String vcpus(double busy) {
    return fixed(busy, 2);
  }

  /**
   * {@code v} (at least 0, finite) with {@code decimals} (1 or 2) digits after the point, rounded
   * half up; what {@code String.format("%.2f")} gives, at a fraction of its cost (a redraw of a
   * thousand sandboxes formats about ten thousand numbers).
   */
  static String fixed(double v, int decimals) {
    long scale = decimals == 1 ? 10 : 100;
    long scaled = Math.round(Math.max(0, v) * scale);
    long fraction = scaled % scale;
    StringBuilder sb = new StringBuilder(8).append(scaled / scale).append('.');
    if (decimals == 2 && fraction < 10) {
      sb.append('0');
    }
    return sb.append(fraction).toString();
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
      return twoParts(s / 60, 'm', s % 60, 's');
    }
    if (s < 86_400) {
      return twoParts(s / 3600, 'h', s % 3600 / 60, 'm');
    }
    return twoParts(s / 86_400, 'd', s % 86_400 / 3600, 'h');
  }

  private static String twoParts(long big, char bigUnit, long small, char smallUnit) {
    return big + (small < 10 ? bigUnit + "0" : String.valueOf(bigUnit)) + small + smallUnit;
  }
}
