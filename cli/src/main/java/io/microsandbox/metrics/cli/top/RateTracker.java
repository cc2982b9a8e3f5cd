package io.microsandbox.metrics.cli.top;

import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Derives throughput from two samples of the same run. Keyed by (sandbox id, run id): a restart is
 * a new run whose counters start again from zero, so it opens a fresh window rather than producing
 * a negative (or, unsigned, a huge) delta; it shows no rate until its second sample. When a tick
 * sees no new sample, the last rate is kept so the view does not flicker between a value and a
 * dash. Not thread-safe; one per view.
 */
final class RateTracker {
  private static final SampleField[] COUNTERS = {
    SampleField.DISK_READ_BYTES,
    SampleField.DISK_WRITE_BYTES,
    SampleField.NET_RX_BYTES,
    SampleField.NET_TX_BYTES
  };

  /** The previous sample of one run and the last rate derived from it. */
  private static final class Window {
    long sampledAtMs;
    final long[] counters = new long[COUNTERS.length];
    @Nullable Rates last; // null until two samples, or after time or a counter went backwards

    Window(SandboxSnapshot s) {
      take(s);
    }

    void take(SandboxSnapshot s) {
      sampledAtMs = s.sampledAtMs();
      for (int i = 0; i < COUNTERS.length; i++) {
        counters[i] = s.raw(COUNTERS[i]);
      }
    }
  }

  private final Map<Long, Window> windows = new HashMap<>();
  private final Set<Long> seen = new HashSet<>();

  /**
   * Folds in the latest sample of one run.
   *
   * @return the run's current rate, or null until it has two samples
   */
  @Nullable Rates observe(SandboxSnapshot s) {
    long key = ((long) s.sandboxId() << 32) | (s.runId() & 0xffffffffL);
    seen.add(key);
    Window w = windows.get(key);
    if (w == null) {
      windows.put(key, new Window(s));
      return null;
    }
    long dtMs = s.sampledAtMs() - w.sampledAtMs;
    if (dtMs == 0) {
      return w.last; // no new sample since the last tick
    }
    double[] perSecond = new double[COUNTERS.length];
    boolean backwards = dtMs < 0;
    for (int i = 0; i < COUNTERS.length && !backwards; i++) {
      long now = s.raw(COUNTERS[i]);
      backwards = Long.compareUnsigned(now, w.counters[i]) < 0;
      perSecond[i] = Units.unsignedToDouble(now - w.counters[i]) * 1000.0 / dtMs;
    }
    w.take(s);
    // time or a counter went backwards within one run: nothing sensible to show, start over
    w.last = backwards ? null : new Rates(perSecond[0], perSecond[1], perSecond[2], perSecond[3]);
    return w.last;
  }

  /** Forgets runs not observed since the last call (gone from the registry). */
  void endTick() {
    windows.keySet().retainAll(seen);
    seen.clear();
  }
}
