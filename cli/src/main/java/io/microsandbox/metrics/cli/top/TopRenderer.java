package io.microsandbox.metrics.cli.top;

import io.microsandbox.metrics.collector.LogSafe;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Renders a {@link TopFrame} as lines of text no wider than the terminal:
 *
 * <pre>
 * 21:03:05  sandboxes 3 (1 stalled)  cpu 1.30 / 6c  mem 1.1 GiB / 3.0 GiB  registry /msb-met-…-v3
 * every 1s | q to quit                      (status: problems, filter, the caller's note)
 * NAME    STATE    CPU        MEM                    DISK R/W /s        NET RX/TX /s     UPTIME
 * api     running  0.80 / 2c  412.0 MiB / 1.0 GiB    1.2 MiB / 64.0 KiB 48.0 KiB / 2.0 KiB 2h03m
 * </pre>
 *
 * <p>Names are truncated (ending in {@code ~}) rather than wrapping a row, then whole columns are
 * left out from the right; only what still does not fit is cut at the width. Widths are display
 * widths ({@link DisplayWidth}: a CJK name takes two columns a character). Colours (ANSI SGR) only
 * when asked for; widths never count them.
 */
public final class TopRenderer {
  private static final String[] HEADERS = {
    "NAME", "STATE", "CPU", "MEM", "DISK R/W /s", "NET RX/TX /s", "UPTIME"
  };
  private static final int GAP = 2;
  private static final int MIN_NAME = 10;
  // NAME and STATE always stay; other columns go whole, from the right, when they do not fit
  private static final int KEPT_COLUMNS = 2;
  private static final String NONE = "-";
  private static final int DROPPED = -1;

  private static final String GREEN_BOLD = "\033[1;32m";
  private static final String YELLOW_BOLD = "\033[1;33m";
  private static final String YELLOW = "\033[33m";
  private static final String DIM = "\033[2m";
  private static final String RESET = "\033[0m";

  private final boolean colour;
  private final DateTimeFormatter time;

  /**
   * Creates a renderer.
   *
   * @param colour whether to emit ANSI colours (never when stdout is not a terminal or NO_COLOR is
   *     set)
   * @param zone the zone the header's time is shown in
   */
  public TopRenderer(boolean colour, ZoneId zone) {
    this.colour = colour;
    this.time = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(Objects.requireNonNull(zone));
  }

  /**
   * The lines of {@code frame}.
   *
   * @param frame what to show
   * @param width the terminal's width in columns; every line fits in it
   * @param note the caller's addition to the status line (interval, keys), or null
   */
  public List<String> render(TopFrame frame, int width, @Nullable String note) {
    int w = Math.max(1, width);
    List<String> lines = new ArrayList<>(frame.rows().size() + 3);
    lines.add(header(frame, w));
    lines.add(status(frame, w, note));
    if (frame.problem() != null) {
      return lines;
    }
    if (frame.rows().isEmpty()) {
      lines.add(
          frame.hiddenByFilter() > 0 ? "No sandboxes match the filter." : "No running sandboxes.");
      return lines;
    }
    String[][] cells = new String[frame.rows().size()][];
    for (int i = 0; i < cells.length; i++) {
      cells[i] = cells(frame.rows().get(i), frame.atMs());
    }
    int[] widths = widths(cells, w);
    lines.add(row(HEADERS, null, widths, w));
    for (int i = 0; i < cells.length; i++) {
      lines.add(row(cells[i], frame.rows().get(i).state(), widths, w));
    }
    return lines;
  }

  /** Time, sandboxes, cpu, mem, registry: each part whole or not at all. */
  private String header(TopFrame frame, int width) {
    HostTotals t = frame.totals();
    Line line = new Line(width);
    line.add(time.format(Instant.ofEpochMilli(frame.atMs())), null);
    StringBuilder sandboxes = new StringBuilder("sandboxes ").append(t.sandboxes());
    if (t.stalled() > 0 || t.exited() > 0) {
      sandboxes.append(" (");
      if (t.stalled() > 0) {
        sandboxes.append(t.stalled()).append(" stalled");
      }
      if (t.exited() > 0) {
        sandboxes.append(t.stalled() > 0 ? ", " : "").append(t.exited()).append(" exited");
      }
      sandboxes.append(')');
    }
    line.whole("  " + sandboxes);
    line.whole(
        "  cpu "
            + Units.vcpus(t.busyVcpus())
            + (t.vcpusKnown() ? " / " + t.allocatedVcpus() + "c" : ""));
    line.whole(
        "  mem "
            + Units.bytes(t.memoryUsedBytes())
            + " / "
            + Units.bytes(t.memoryAllocatedBytes()));
    line.whole("  registry " + frame.registry());
    return line.toString();
  }

  private String status(TopFrame frame, int width, @Nullable String note) {
    Line line = new Line(width);
    if (frame.problem() != null) {
      line.add(sanitize(frame.problem()), YELLOW_BOLD);
    }
    if (frame.hiddenByFilter() > 0) {
      line.sep().add(frame.hiddenByFilter() + " hidden by --filter", null);
    }
    if (note != null && !note.isEmpty()) {
      line.sep().add(sanitize(note), DIM);
    }
    return line.toString();
  }

  private static String[] cells(TopRow r, long nowMs) {
    SandboxSnapshot s = r.snapshot();
    String mem = Units.bytes(r.memoryUsedBytes()) + " / " + Units.bytes(r.memoryLimitBytes());
    switch (r.state()) {
      case EXITED:
        return new String[] {
          sanitize(r.name()),
          r.state().label(),
          NONE,
          mem,
          pair(s.raw(SampleField.DISK_READ_BYTES), s.raw(SampleField.DISK_WRITE_BYTES)) + " total",
          pair(s.raw(SampleField.NET_RX_BYTES), s.raw(SampleField.NET_TX_BYTES)) + " total",
          "ran " + Units.duration(s.uptimeMs())
        };
      case STALLED:
        return new String[] {
          sanitize(r.name()),
          r.state().label(),
          NONE,
          mem,
          NONE,
          NONE,
          "no sample " + Units.duration(r.sampleAgeMs())
        };
      default:
        Integer cpus = r.cpus();
        Rates rates = r.rates();
        return new String[] {
          sanitize(r.name()),
          r.state().label(),
          Units.vcpus(r.busyVcpus()) + (cpus != null ? " / " + cpus + "c" : ""),
          mem,
          rates == null ? NONE : rate(rates.diskRead(), rates.diskWrite()),
          rates == null ? NONE : rate(rates.netRx(), rates.netTx()),
          r.allocation().samplingOff() ? "sampling off" : Units.duration(s.uptimeMs())
        };
    }
  }

  private static String pair(long a, long b) {
    return Units.bytes(a) + " / " + Units.bytes(b);
  }

  private static String rate(double a, double b) {
    return Units.bytes(a) + " / " + Units.bytes(b);
  }

  /**
   * Column widths and how many columns show. When the table is wider than the terminal, the name
   * column gives way first (down to {@link #MIN_NAME}), then whole columns from the right (never a
   * number cut in half, which would read as another number); only a terminal narrower than NAME and
   * STATE cuts a line.
   */
  private static int[] widths(String[][] cells, int width) {
    int[] widths = new int[HEADERS.length];
    for (int c = 0; c < HEADERS.length; c++) {
      widths[c] = HEADERS[c].length();
      for (String[] row : cells) {
        widths[c] = Math.max(widths[c], DisplayWidth.of(row[c]));
      }
    }
    int total = GAP * (HEADERS.length - 1);
    for (int x : widths) {
      total += x;
    }
    if (total > width) {
      int name = Math.max(Math.min(widths[0], MIN_NAME), widths[0] - (total - width));
      total -= widths[0] - name;
      widths[0] = name;
    }
    for (int c = HEADERS.length - 1; c >= KEPT_COLUMNS && total > width; c--) {
      total -= widths[c] + GAP;
      widths[c] = DROPPED;
    }
    return widths;
  }

  private String row(String[] cells, @Nullable SandboxState state, int[] widths, int width) {
    Line line = new Line(width);
    int columns = 0;
    while (columns < widths.length && widths[columns] != DROPPED) {
      columns++;
    }
    for (int c = 0; c < columns; c++) {
      String text = c == 0 ? truncate(cells[c], widths[c]) : cells[c];
      boolean last = c == columns - 1;
      line.add(last ? text : pad(text, widths[c]), style(c, state));
      if (!last) {
        line.add(" ".repeat(GAP), null);
      }
    }
    return line.toString();
  }

  private static @Nullable String style(int column, @Nullable SandboxState state) {
    if (state == null) {
      return null; // the header row
    }
    if (state == SandboxState.EXITED) {
      return DIM;
    }
    if (column == 1) {
      return state == SandboxState.RUNNING ? GREEN_BOLD : YELLOW_BOLD;
    }
    return state == SandboxState.STALLED && column == HEADERS.length - 1 ? YELLOW : null;
  }

  private static String truncate(String s, int width) {
    return DisplayWidth.of(s) <= width ? s : DisplayWidth.cut(s, Math.max(0, width - 1)) + "~";
  }

  private static String pad(String s, int width) {
    return DisplayWidth.pad(s, width);
  }

  /** Control characters from outside (names, errors) must not reach the terminal as commands. */
  private static String sanitize(String s) {
    return LogSafe.escape(s);
  }

  /** A line cut at the width, with styles that never count as columns. */
  private final class Line {
    private final StringBuilder sb = new StringBuilder();
    private final int max;
    private int used;

    Line(int max) {
      this.max = max;
    }

    /** Adds {@code text} only if all of it fits, so no part of the header is cut mid-word. */
    Line whole(String text) {
      if (used + DisplayWidth.of(text) > max) {
        used = max; // and nothing after it either: the parts keep their order
        return this;
      }
      return add(text, null);
    }

    Line sep() {
      return used == 0 ? this : add("  |  ", null);
    }

    Line add(String text, @Nullable String sgr) {
      int room = max - used;
      if (room <= 0 || text.isEmpty()) {
        return this;
      }
      String fit = DisplayWidth.cut(text, room);
      used += DisplayWidth.of(fit);
      if (colour && sgr != null) {
        sb.append(sgr).append(fit).append(RESET);
      } else {
        sb.append(fit);
      }
      return this;
    }

    @Override
    public String toString() {
      // no trailing blanks: a redraw clears the rest of each line itself
      int end = sb.length();
      while (end > 0 && sb.charAt(end - 1) == ' ') {
        end--;
      }
      return sb.substring(0, end);
    }
  }
}
