package io.microsandbox.metrics.stdout.internal;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.LogSafe;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.series.SandboxSeries;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Formats the human-readable stdout line of one sample, as the Rust {@code msb-metrics stdout}
 * prints it: {@code <sample time> sandbox=<name> id=<id> cpu=<vCPUs> mem=<used> / <limit> disk_r=..
 * disk_w=.. net_rx=.. net_tx=.. uptime=<m>m<s>s}, then {@code key=value} per label.
 *
 * <p>Where the catalog knows the sandbox's allocation it shows as microsandbox's {@code msb
 * metrics} shows it: {@code cpu=0.80/2c} (busy vCPUs / vCPUs allocated), and the memory limit is
 * the catalog's (see {@link SandboxSeries#memoryLimitBytes}).
 */
public final class TextLine {
  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  private TextLine() {}

  /** Appends the line of {@code s} with its allocation and labels, ending in a newline. */
  public static void append(
      StringBuilder sb, SandboxSnapshot s, Allocation allocation, Map<String, String> labels) {
    sb.append(time(s.sampledAtMs()));
    sb.append(" sandbox=").append(quoteIfNeeded(s.name()));
    sb.append(" id=").append(s.sandboxId());
    double busyCpus = s.cpuPercent() / 100.0;
    if (allocation.cpus() > 0) {
      sb.append(" cpu=")
          .append(String.format(Locale.ROOT, "%.2f", busyCpus))
          .append('/')
          .append(allocation.cpus())
          .append('c');
    } else {
      sb.append(" cpu=").append(String.format(Locale.ROOT, "%.6f", busyCpus));
    }
    sb.append(" mem=")
        .append(bytes(s.raw(SampleField.MEMORY_BYTES)))
        .append(" / ")
        .append(bytes(SandboxSeries.memoryLimitBytes(s, allocation)));
    sb.append(" disk_r=").append(bytes(s.raw(SampleField.DISK_READ_BYTES)));
    sb.append(" disk_w=").append(bytes(s.raw(SampleField.DISK_WRITE_BYTES)));
    sb.append(" net_rx=").append(bytes(s.raw(SampleField.NET_RX_BYTES)));
    sb.append(" net_tx=").append(bytes(s.raw(SampleField.NET_TX_BYTES)));
    long uptimeSeconds = s.uptimeMs() / 1000;
    sb.append(" uptime=")
        .append(uptimeSeconds / 60)
        .append('m')
        .append(uptimeSeconds % 60)
        .append('s');
    for (Map.Entry<String, String> e : sorted(labels).entrySet()) {
      sb.append(' ')
          .append(quoteIfNeeded(e.getKey()))
          .append('=')
          .append(quoteIfNeeded(e.getValue()));
    }
    sb.append('\n');
  }

  /** {@code labels} in key order (label sources promise sorted keys; do not rely on it). */
  public static SortedMap<String, String> sorted(Map<String, String> labels) {
    return labels instanceof SortedMap ? (SortedMap<String, String>) labels : new TreeMap<>(labels);
  }

  /** Appends {@code <time> (no active sandboxes)} and a newline. */
  public static void appendEmpty(StringBuilder sb, long collectedAtMs) {
    sb.append(time(collectedAtMs)).append(" (no active sandboxes)\n");
  }

  /** Unix milliseconds as an RFC 3339 UTC time to the second, e.g. {@code 2026-05-30T02:44:31Z}. */
  public static String time(long epochMs) {
    return DateTimeFormatter.ISO_INSTANT.format(
        Instant.ofEpochMilli(epochMs).truncatedTo(ChronoUnit.SECONDS));
  }

  /**
   * An unsigned byte count in binary units with one decimal ({@code 13.6 MiB}); below 1 KiB as a
   * whole number ({@code 512 B}).
   */
  public static String bytes(long unsigned) {
    if (unsigned >= 0 && unsigned < 1024) {
      return unsigned + " B";
    }
    double v = unsignedToDouble(unsigned);
    int unit = 0;
    while (v >= 1024 && unit < UNITS.length - 1) {
      v /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, UNITS[unit]);
  }

  static double unsignedToDouble(long v) {
    double d = (double) (v >>> 1) * 2.0;
    return d + (v & 1);
  }

  // Names and labels are free text: quote the rare value that would break key=value parsing, and
  // escape its control characters (LogSafe) so that no value can start a new output line.
  static String quoteIfNeeded(String s) {
    boolean plain = !s.isEmpty();
    for (int i = 0; i < s.length() && plain; i++) {
      char c = s.charAt(i);
      plain = c > ' ' && c != '"' && c != '=' && c != '\\';
    }
    if (plain && LogSafe.escape(s) == s) {
      return s;
    }
    StringBuilder q = new StringBuilder(s.length() + 2);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        q.append('\\');
      }
      q.append(c);
    }
    return '"' + LogSafe.escape(q) + '"';
  }
}
