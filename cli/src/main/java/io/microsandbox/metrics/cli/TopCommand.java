package io.microsandbox.metrics.cli;

import io.microsandbox.metrics.catalog.CatalogMetadataSource;
import io.microsandbox.metrics.cli.top.SandboxState;
import io.microsandbox.metrics.cli.top.SortKey;
import io.microsandbox.metrics.cli.top.TopFrame;
import io.microsandbox.metrics.cli.top.TopJson;
import io.microsandbox.metrics.cli.top.TopModel;
import io.microsandbox.metrics.cli.top.TopRenderer;
import io.microsandbox.metrics.cli.top.TopRow;
import io.microsandbox.metrics.cli.top.TopScreen;
import io.microsandbox.metrics.cli.top.TopSource;
import io.microsandbox.metrics.collector.MetadataSource;
import io.microsandbox.metrics.registry.RegistryName;
import io.microsandbox.metrics.registry.RegistryReader;
import io.microsandbox.metrics.registry.TimeSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code msb-metrics top}: a live view of the host's sandboxes, redrawn in place on a terminal.
 *
 * <ul>
 *   <li>On a terminal: the interactive view ({@link TopScreen}) until q or Ctrl-C.
 *   <li>{@code --once}: two samples about 500 ms apart (a few more when a sandbox has not sampled
 *       in between, at most 2 s), one table, exit. A registry that does not exist is one line on
 *       stderr naming the home and where it came from, exit 1: a one-shot look at nothing is almost
 *       always the wrong home (the live views wait for it instead).
 *   <li>{@code --format json}: JSON Lines, one object per sandbox per tick ({@link TopJson}).
 *   <li>Text to a pipe: one table per tick, plain, until SIGINT/SIGTERM.
 * </ul>
 */
@Command(
    name = "top",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "A live view of the sandboxes of this host: CPU, memory, disk and network rates, uptime.",
      "",
      "Columns: NAME STATE CPU MEM \"DISK R/W /s\" \"NET RX/TX /s\" UPTIME, under a line with host"
          + " totals. CPU is busy vCPUs over the catalog's allocation (0.80 / 2c), MEM used over"
          + " the limit. STATE is running, stalled (no sample for max(3 x the sandbox's sample"
          + " interval, 3 s)) or exited (--all). Rates need two samples of the same run: '-'"
          + " until then.",
      "",
      "On a terminal it redraws in place (s: next sort key) until q or Ctrl-C; --once prints one"
          + " table; --format json prints one object per sandbox per tick: the snapshot command's"
          + " keys with \"state\" running|stalled|exited, \"cpus\","
          + " disk_read/disk_write/net_rx/net_tx_bytes_per_s (null until a rate exists) and"
          + " \"ts_ms\".",
      ""
    })
final class TopCommand implements Callable<Integer> {
  /** The shortest {@code --interval}: a faster redraw only burns CPU. */
  static final Duration MIN_INTERVAL = Duration.ofMillis(100);

  /** {@code --once}: the pause between its samples, and how many pauses at most. */
  static final Duration ONCE_WINDOW = Duration.ofMillis(500);

  static final int ONCE_MAX_WINDOWS = 4;

  @Mixin HomeOption home;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      converter = IntervalConverter.class,
      defaultValue = "1s",
      description = "Time between redraws, at least 100ms (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(
      names = "--sort",
      paramLabel = "KEY",
      defaultValue = "cpu",
      description =
          "cpu, mem, name, disk, net or uptime; largest first, name A-Z (default:"
              + " ${DEFAULT-VALUE}).")
  SortKey sort;

  @Option(
      names = {"-a", "--all"},
      description = "Also list exited sandboxes (dimmed, with their totals and how long they ran).")
  boolean all;

  @Option(
      names = "--once",
      description =
          "Sample twice about 500ms apart, print one table, exit (1 when the registry does not"
              + " exist or cannot be read).")
  boolean once;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description =
          "text or json: one JSON object per sandbox per tick (default: ${DEFAULT-VALUE}).")
  TextOrJson format;

  @Option(
      names = "--filter",
      paramLabel = "TEXT",
      description = "Only sandboxes whose name or a label value contains TEXT (any case).")
  @Nullable String filter;

  /** {@code --no-labels} and {@code --exclude-label-key}, as the collecting commands have them. */
  @Mixin CatalogOptions catalog;

  @Spec CommandSpec spec;

  /** The environment the home and NO_COLOR / COLUMNS are read from; replaced by tests. */
  Map<String, String> env = System.getenv();

  /** The view's clock; replaced by tests. */
  TimeSource time = TimeSource.SYSTEM;

  /** The zone the header's time is shown in; replaced by tests. */
  ZoneId zone = ZoneId.systemDefault();

  /** Waits between the samples of {@code --once}; replaced by tests. */
  Pause pause = d -> Thread.sleep(d.toMillis());

  /** Completed to stop a streaming run; by default SIGINT / SIGTERM. Replaced by tests. */
  @Nullable CompletableFuture<String> stop;

  /**
   * Whether a write error of System.out (where picocli's writer ends) stops a stream. Tests: off.
   */
  boolean checkSystemOut = true;

  /** Whether stdin and stdout are a terminal; null: ask the JVM. Replaced by tests. */
  @Nullable Boolean terminal;

  private @Nullable String lastProblem;

  /** How the view waits between samples. */
  interface Pause {
    /** Waits {@code d}. */
    void pause(Duration d) throws InterruptedException;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    String name;
    try {
      name = RegistryName.resolve(home.path, env);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    boolean tty = terminal != null ? terminal : System.console() != null;
    TopModel model = new TopModel(time, sort, filter, home.describe(env));
    try (TopSource source = new TopSource(RegistryReader.open(name), catalogSource(), model, all)) {
      if (once) {
        return once(source, out, tty);
      }
      if (format == TextOrJson.TEXT && tty) {
        return interactive(source, model);
      }
      return stream(source, out, tty);
    }
  }

  /** The catalog's labels and allocations; nothing under {@code --no-catalog}. */
  private MetadataSource catalogSource() {
    Optional<CatalogMetadataSource> source = catalog.source(home.path, env);
    return source.isPresent() ? source.get() : snapshots -> Map.of();
  }

  /** Two samples (more, up to {@link #ONCE_MAX_WINDOWS} windows, until every run has a rate). */
  private int once(TopSource source, PrintWriter out, boolean tty) throws Exception {
    TopFrame frame = source.tick();
    if (frame.problem() != null && !frame.readFailed()) {
      // nothing to show and nothing to wait for: say why (the home, and where it came from)
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "msb-metrics top: " + TopModel.missingRegistry(frame.registry(), home.describe(env)));
      err.flush();
      return 1;
    }
    for (int i = 0; i < ONCE_MAX_WINDOWS && frame.problem() == null; i++) {
      pause.pause(ONCE_WINDOW);
      frame = source.tick();
      if (everyRunningRowHasARate(frame)) {
        break;
      }
    }
    print(frame, out, tty);
    return frame.readFailed() ? 1 : 0;
  }

  private static boolean everyRunningRowHasARate(TopFrame frame) {
    for (TopRow r : frame.rows()) {
      if (r.state() == SandboxState.RUNNING && r.rates() == null) {
        return false;
      }
    }
    return true;
  }

  /** JSON Lines, or plain tables to a pipe, every interval until stopped. */
  private int stream(TopSource source, PrintWriter out, boolean tty) throws Exception {
    CompletableFuture<String> stopSignal = stop != null ? stop : UntilSignal.signals();
    while (true) {
      print(source.tick(), out, tty);
      // a closed pipe (top | head): stop, as stdout does; System.out swallows the write error
      if (out.checkError() || System.out.checkError()) {
        return 1;
      }
      try {
        stopSignal.get(interval.toMillis(), TimeUnit.MILLISECONDS);
        return 0;
      } catch (TimeoutException next) {
        // the interval elapsed: next tick
      } catch (ExecutionException e) {
        return 0;
      }
    }
  }

  private void print(TopFrame frame, PrintWriter out, boolean tty) throws IOException {
    if (format == TextOrJson.JSON) {
      // a problem goes to stderr once, not once a tick
      if (frame.problem() != null && !frame.problem().equals(lastProblem)) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("msb-metrics top: " + frame.problem());
        err.flush();
      }
      lastProblem = frame.problem();
      TopJson.write(out, frame);
    } else {
      TopRenderer renderer = new TopRenderer(tty && colourAllowed(), zone);
      for (String line : renderer.render(frame, width(tty), null)) {
        out.println(line);
      }
      if (!once) {
        out.println();
      }
    }
    out.flush();
  }

  private int interactive(TopSource source, TopModel model) throws IOException {
    try (Terminal term = TerminalBuilder.builder().system(true).name("msb-metrics").build();
        ScreenLog log = ScreenLog.divert()) {
      new TopScreen(
              term,
              source::tick,
              model,
              new TopRenderer(colourAllowed(), zone),
              interval,
              log::latest)
          .run();
    }
    return 0;
  }

  /** No colours when NO_COLOR is set to anything (https://no-color.org). */
  private boolean colourAllowed() {
    String noColor = env.get("NO_COLOR");
    return noColor == null || noColor.isEmpty();
  }

  /** The terminal's width; a pipe takes $COLUMNS when set, else no limit. */
  private int width(boolean tty) {
    if (tty) {
      try (Terminal term = TerminalBuilder.builder().system(true).dumb(true).build()) {
        if (term.getWidth() > 0) {
          return term.getWidth() - 1;
        }
      } catch (IOException e) {
        // fall through to $COLUMNS
      }
    }
    try {
      return Integer.parseInt(env.getOrDefault("COLUMNS", "").trim());
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  /** Reads {@code --interval}: a duration of at least {@link #MIN_INTERVAL}. */
  static final class IntervalConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d = DurationConverter.parse(value);
      if (d.compareTo(MIN_INTERVAL) < 0) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is shorter than the minimum of 100ms");
      }
      return d;
    }
  }
}
