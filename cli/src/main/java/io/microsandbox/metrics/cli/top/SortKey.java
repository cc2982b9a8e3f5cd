package io.microsandbox.metrics.cli.top;

import java.util.Comparator;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The orders of {@code --sort}. Numeric orders put the largest first; ties, and every row without
 * the value (no rate yet), fall back to the name, then the sandbox id, so rows never swap places
 * between redraws for no reason.
 */
public enum SortKey {
  /** Busy vCPUs, largest first. */
  CPU(Comparator.comparingDouble(TopRow::busyVcpus).reversed()),
  /** Memory in use, largest first. */
  MEM((a, b) -> Long.compareUnsigned(b.memoryUsedBytes(), a.memoryUsedBytes())),
  /** Name, A to Z. */
  NAME((a, b) -> 0),
  /** Disk read + write throughput, largest first. */
  DISK(byRate(r -> r.diskRead() + r.diskWrite())),
  /** Network receive + send throughput, largest first. */
  NET(byRate(r -> r.netRx() + r.netTx())),
  /** Uptime, longest first. */
  UPTIME(Comparator.comparingLong((TopRow r) -> r.snapshot().uptimeMs()).reversed());

  private final Comparator<TopRow> order;

  SortKey(Comparator<TopRow> primary) {
    this.order = primary.thenComparing(TieBreak.ORDER);
  }

  /** The key after this one, for a key that cycles through them all. */
  public SortKey next() {
    SortKey[] all = values();
    return all[(ordinal() + 1) % all.length];
  }

  /** The order of rows: this key, then name, then sandbox id. */
  public Comparator<TopRow> comparator() {
    return order;
  }

  /** Name, then sandbox id (enum constructors cannot read the enum's own static fields). */
  private static final class TieBreak {
    static final Comparator<TopRow> ORDER =
        Comparator.comparing(TopRow::name).thenComparingInt(r -> r.snapshot().sandboxId());
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  private static Comparator<TopRow> byRate(ToDoubleFunction<Rates> sum) {
    // no rate yet sorts after every measured one, even a measured zero
    return Comparator.comparingDouble(
            (TopRow r) -> r.rates() == null ? -1 : sum.applyAsDouble(r.rates()))
        .reversed();
  }
}
