package io.microsandbox.metrics.cli.top;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

/**
 * The interactive view on a terminal: the alternate screen, raw keyboard input, redraws in place.
 *
 * <pre>
 *   enter: alternate screen, cursor hidden, raw mode (no echo, Ctrl-C read as a key)
 *   loop:  tick -> render to the terminal's width -> Display.update (rewrites only what changed)
 *          wait for a key until the next tick; q or Ctrl-C quits, s sorts by the next key (a new
 *          tick at once), a resize redraws at once
 *   leave: the terminal's own attributes, cursor and screen restored, also on an exception
 * </pre>
 */
public final class TopScreen {
  private static final int CTRL_C = 3;

  /** The longest a resize waits to be redrawn. */
  private static final long KEY_POLL_MS = 100;

  private final Terminal terminal;
  private final Supplier<TopFrame> ticks;
  private final TopModel model;
  private final TopRenderer renderer;
  private final Duration interval;
  private final Supplier<String> notes;

  /**
   * Creates a screen.
   *
   * @param terminal the terminal (a system terminal in production)
   * @param ticks one frame per call
   * @param model the model behind {@code ticks}, whose sort key {@code s} changes
   * @param renderer renders frames to lines
   * @param interval time between ticks
   * @param notes the latest thing worth telling on the status line (a warning), or null; called on
   *     every redraw
   */
  public TopScreen(
      Terminal terminal,
      Supplier<TopFrame> ticks,
      TopModel model,
      TopRenderer renderer,
      Duration interval,
      Supplier<String> notes) {
    this.terminal = Objects.requireNonNull(terminal, "terminal");
    this.ticks = Objects.requireNonNull(ticks, "ticks");
    this.model = Objects.requireNonNull(model, "model");
    this.renderer = Objects.requireNonNull(renderer, "renderer");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.notes = Objects.requireNonNull(notes, "notes");
  }

  /** Runs until q or Ctrl-C (or SIGINT); the terminal is restored on every way out. */
  public void run() throws IOException {
    Attributes original = terminal.enterRawMode();
    AtomicBoolean quit = new AtomicBoolean();
    AtomicBoolean resized = new AtomicBoolean();
    Terminal.SignalHandler oldInt = terminal.handle(Terminal.Signal.INT, s -> quit.set(true));
    Terminal.SignalHandler oldWinch =
        terminal.handle(Terminal.Signal.WINCH, s -> resized.set(true));
    // SIGTERM (or SIGHUP) ends the JVM without reaching the finally below: give the terminal back
    Thread restoreOnExit = new Thread(() -> restore(original), "msb-top-restore");
    Runtime.getRuntime().addShutdownHook(restoreOnExit);
    try {
      // Ctrl-C as a key: it quits at once instead of waiting out the tick
      Attributes raw = terminal.getAttributes();
      raw.setLocalFlag(Attributes.LocalFlag.ISIG, false);
      terminal.setAttributes(raw);
      terminal.puts(Capability.enter_ca_mode);
      terminal.puts(Capability.cursor_invisible);
      terminal.puts(Capability.clear_screen);
      terminal.flush();
      loop(quit, resized);
    } finally {
      terminal.handle(Terminal.Signal.INT, oldInt);
      terminal.handle(Terminal.Signal.WINCH, oldWinch);
      restore(original);
      try {
        Runtime.getRuntime().removeShutdownHook(restoreOnExit);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook runs or ran: the terminal is restored either way
      }
    }
  }

  /** Main screen, visible cursor, the terminal's own modes. Idempotent. */
  private void restore(Attributes original) {
    try {
      terminal.puts(Capability.cursor_visible);
      terminal.puts(Capability.exit_ca_mode);
      terminal.setAttributes(original);
      terminal.flush();
    } catch (RuntimeException closedAlready) {
      // at shutdown the terminal may have been closed (and restored) by JLine itself
    }
  }

  private void loop(AtomicBoolean quit, AtomicBoolean resized) throws IOException {
    Display display = new Display(terminal, true);
    NonBlockingReader keys = terminal.reader();
    while (!quit.get()) {
      TopFrame frame = ticks.get();
      String hint = "every " + human(interval) + " | sort " + model.sort() + " (s) | q to quit";
      long next = System.nanoTime() + interval.toNanos();
      boolean tickNow = false;
      boolean drawn = false;
      while (!quit.get() && !tickNow && System.nanoTime() - next < 0) {
        if (resized.getAndSet(false)) {
          // the terminal reflowed or cut what was on it: start from a blank screen (once per
          // resize; every other redraw rewrites only what changed)
          terminal.puts(Capability.clear_screen);
          display.clear();
          drawn = false;
        }
        if (!drawn) {
          draw(display, frame, hint);
          drawn = true;
        }
        // a resize cannot interrupt the read: look again at least every KEY_POLL_MS
        long waitMs = Math.max(1, Math.min(KEY_POLL_MS, (next - System.nanoTime()) / 1_000_000));
        int key = keys.read(waitMs);
        if (key == 'q' || key == 'Q' || key == CTRL_C || key == NonBlockingReader.EOF) {
          quit.set(true);
        } else if (key == 's' || key == 'S') {
          model.sort(model.sort().next());
          tickNow = true;
        }
      }
    }
  }

  private void draw(Display display, TopFrame frame, String hint) {
    Size size = terminal.getSize();
    int rows = Math.max(1, size.getRows());
    int columns = size.getColumns() > 0 ? size.getColumns() : 80;
    display.resize(rows, columns);
    String note = notes.get();
    // the last column of a full-width line would wrap on some terminals: keep it free
    List<String> lines =
        renderer.render(frame, columns - 1, note == null ? hint : hint + " | " + note);
    if (lines.size() > rows) {
      List<String> cut = new ArrayList<>(lines.subList(0, rows - 1));
      cut.add("+" + (lines.size() - rows + 1) + " more (a taller terminal, or --filter)");
      lines = cut;
    }
    display.updateAnsi(lines, 0);
    terminal.flush();
  }

  private static String human(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
