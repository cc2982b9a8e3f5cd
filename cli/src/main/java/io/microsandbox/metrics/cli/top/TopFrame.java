package io.microsandbox.metrics.cli.top;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One tick of the view, ready to render: the rows to show (filtered and sorted), host totals, and
 * what went wrong reading the registry, if anything.
 *
 * @param atMs the tick, Unix milliseconds by the view's clock
 * @param registry the registry's shared-memory object name
 * @param rows the rows shown, sorted (live rows first, then exited ones)
 * @param totals host totals, over every live sandbox whether shown or not
 * @param hiddenByFilter sandboxes the filter left out
 * @param problem a one-line explanation when the registry is missing or unreadable, else null
 * @param readFailed whether the registry exists but could not be read (corrupt, no access)
 */
public record TopFrame(
    long atMs,
    String registry,
    List<TopRow> rows,
    HostTotals totals,
    int hiddenByFilter,
    @Nullable String problem,
    boolean readFailed) {

  /** Rows copied, immutable. */
  public TopFrame {
    rows = List.copyOf(rows);
  }
}
