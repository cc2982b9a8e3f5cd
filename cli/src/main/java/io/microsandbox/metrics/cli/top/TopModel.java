package io.microsandbox.metrics.cli.top;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.SandboxMetadata;
import io.microsandbox.metrics.registry.RegistryScan;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.SlotState;
import io.microsandbox.metrics.registry.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The model behind {@code msb-metrics top}: turns each registry scan, with what the catalog knows,
 * into a {@link TopFrame}.
 *
 * <pre>
 *  RegistryScan --+                         +--> rows (state, rates, allocation), filtered, sorted
 *                 +--> TopModel.update() ---+
 *  SandboxMetadata+    (RateTracker keeps   +--> host totals over every live sandbox
 *                       the previous sample)
 * </pre>
 *
 * <ul>
 *   <li>A sandbox restarted since its previous run can own two slots (the stale one of the old run
 *       and the active one): one row per (sandbox id, name), the active slot or else the freshest.
 *   <li>State: a stale slot is exited; an active slot whose sample is older than max(3 x the
 *       sandbox's sample interval, 3 s) is stalled (interval from the catalog, else {@link
 *       #DEFAULT_SAMPLE_INTERVAL}); otherwise running. A sandbox whose config turns sampling off is
 *       never stalled: it is running without samples.
 *   <li>Time comes from the injected {@link TimeSource}, so tests drive it.
 * </ul>
 *
 * <p>Not thread-safe: one view calls it from one thread.
 */
public final class TopModel {
  /** The sample interval assumed when the catalog does not say: microsandbox's default. */
  public static final Duration DEFAULT_SAMPLE_INTERVAL = Duration.ofSeconds(1);

  /** A sample this old is stale whatever the interval: runtimes can jitter by a second or two. */
  static final Duration MIN_STALL_AGE = Duration.ofSeconds(3);

  private static final int STALL_INTERVALS = 3;

  private final TimeSource time;
  private SortKey sort;
  private final @Nullable String filter; // lower case; null keeps every sandbox
  private final RateTracker rates = new RateTracker();
  private final String home;

  /**
   * Creates a model.
   *
   * @param time the view's clock (sample ages, the frame time)
   * @param sort the order of rows
   * @param filter keep only sandboxes whose name or a label value contains this text, ignoring
   *     case; null or empty keeps all
   */
  public TopModel(TimeSource time, SortKey sort, @Nullable String filter) {
    this(time, sort, filter, "this MSB_HOME");
  }

  /**
   * Creates a model whose explanation of a missing registry names {@code home}.
   *
   * @param home the home the registry's name comes from, and where it came from ({@code
   *     microsandbox home /srv/msb (from MSB_HOME)})
   */
  public TopModel(TimeSource time, SortKey sort, @Nullable String filter, String home) {
    this.home = Objects.requireNonNull(home, "home");
    this.time = Objects.requireNonNull(time, "time");
    this.sort = Objects.requireNonNull(sort, "sort");
    this.filter = filter == null || filter.isEmpty() ? null : filter.toLowerCase(Locale.ROOT);
  }

  /** The order of rows now. */
  public SortKey sort() {
    return sort;
  }

  /** Orders the rows of the next frames by {@code sort} (the interactive view's sort key). */
  public void sort(SortKey sort) {
    this.sort = Objects.requireNonNull(sort, "sort");
  }

  /**
   * The frame of one scan.
   *
   * @param registry the registry's name, for the header
   * @param scan what the reader found (with stale slots when exited sandboxes are wanted)
   * @param metadata the catalog's labels and allocations for this scan's sandboxes, by sandbox id
   */
  public TopFrame update(
      String registry, RegistryScan scan, Map<Integer, SandboxMetadata> metadata) {
    long now = time.currentTimeMillis();
    if (!scan.exists()) {
      rates.endTick();
      return empty(now, registry, missingRegistry(registry, home) + "; waiting for it", false);
    }
    List<TopRow> live = new ArrayList<>();
    List<TopRow> exited = new ArrayList<>();
    for (SandboxSnapshot s : newestPerSandbox(scan.snapshots())) {
      SandboxMetadata meta = metadata.getOrDefault(s.sandboxId(), SandboxMetadata.NONE);
      Allocation allocation = meta.allocation();
      long age = Math.max(0, now - s.sampledAtMs());
      SandboxState state = classify(s, allocation, age);
      // exited runs keep no window: their rate is over, their totals are shown instead. A
      // stalled run keeps its window (its next sample gives the average over the gap) but shows
      // no rate: its last one is as old as its sample.
      Rates rate = state == SandboxState.EXITED ? null : rates.observe(s);
      if (state == SandboxState.STALLED) {
        rate = null;
      }
      TopRow row = new TopRow(s, state, allocation, meta.labels(), rate, age);
      (state == SandboxState.EXITED ? exited : live).add(row);
    }
    rates.endTick();
    HostTotals totals = totals(live, exited.size());
    List<TopRow> shown = new ArrayList<>(live.size() + exited.size());
    addFiltered(live, shown);
    addFiltered(exited, shown);
    int hidden = live.size() + exited.size() - shown.size();
    Comparator<TopRow> order =
        Comparator.comparing((TopRow r) -> r.state() == SandboxState.EXITED)
            .thenComparing(sort.comparator());
    shown.sort(order);
    return new TopFrame(now, registry, shown, totals, hidden, null, false);
  }

  /**
   * The frame of a scan that failed: no rows, and {@code problem} (the reader's one-line error).
   */
  public TopFrame failed(String registry, String problem) {
    rates.endTick();
    return empty(time.currentTimeMillis(), registry, problem, true);
  }

  /**
   * Why there is nothing to show while the registry does not exist: no sandbox has started under
   * {@code home}, or microsandbox uses another home.
   */
  public static String missingRegistry(String registry, String home) {
    return "registry "
        + registry
        + " does not exist yet: no sandbox has started under "
        + home
        + ", or microsandbox uses another home";
  }

  private static TopFrame empty(
      long now, String registry, @Nullable String problem, boolean readFailed) {
    return new TopFrame(
        now,
        registry,
        List.of(),
        new HostTotals(0, 0, 0, 0, 0, false, 0, 0),
        0,
        problem,
        readFailed);
  }

  private static SandboxState classify(SandboxSnapshot s, Allocation allocation, long ageMs) {
    if (s.state() == SlotState.STALE) {
      return SandboxState.EXITED;
    }
    if (allocation.samplingOff()) {
      return SandboxState.RUNNING; // it never samples by design: not a stall
    }
    long intervalMs =
        allocation.sampleIntervalMs() > 0
            ? Math.min(allocation.sampleIntervalMs(), Long.MAX_VALUE / STALL_INTERVALS)
            : DEFAULT_SAMPLE_INTERVAL.toMillis();
    long stallAfterMs = Math.max(MIN_STALL_AGE.toMillis(), intervalMs * STALL_INTERVALS);
    return ageMs > stallAfterMs ? SandboxState.STALLED : SandboxState.RUNNING;
  }

  /** One snapshot per (sandbox id, name): the active one, else the most recently sampled. */
  private static List<SandboxSnapshot> newestPerSandbox(List<SandboxSnapshot> snapshots) {
    Map<String, SandboxSnapshot> best = new LinkedHashMap<>(snapshots.size() * 2);
    for (SandboxSnapshot s : snapshots) {
      best.merge(s.sandboxId() + "\u0000" + s.name(), s, TopModel::better);
    }
    return new ArrayList<>(best.values());
  }

  private static SandboxSnapshot better(SandboxSnapshot a, SandboxSnapshot b) {
    boolean aActive = a.state() == SlotState.ACTIVE;
    boolean bActive = b.state() == SlotState.ACTIVE;
    if (aActive != bActive) {
      return aActive ? a : b;
    }
    return b.sampledAtMs() > a.sampledAtMs() ? b : a;
  }

  private static HostTotals totals(List<TopRow> live, int exited) {
    int stalled = 0;
    double busy = 0;
    long cpus = 0;
    boolean cpusKnown = false;
    double used = 0;
    double allocated = 0;
    for (TopRow r : live) {
      if (r.state() == SandboxState.STALLED) {
        stalled++; // its CPU figure is as old as its sample: not busy now as far as we know
      } else {
        busy += r.busyVcpus();
      }
      if (r.cpus() != null) {
        cpus += r.cpus();
        cpusKnown = true;
      }
      used += Units.unsignedToDouble(r.memoryUsedBytes());
      allocated += Units.unsignedToDouble(r.memoryLimitBytes());
    }
    return new HostTotals(live.size(), stalled, exited, busy, cpus, cpusKnown, used, allocated);
  }

  private void addFiltered(List<TopRow> rows, List<TopRow> into) {
    for (TopRow r : rows) {
      if (matches(r)) {
        into.add(r);
      }
    }
  }

  private boolean matches(TopRow r) {
    if (filter == null || r.name().toLowerCase(Locale.ROOT).contains(filter)) {
      return true;
    }
    for (String value : r.labels().values()) {
      if (value.toLowerCase(Locale.ROOT).contains(filter)) {
        return true;
      }
    }
    return false;
  }
}
