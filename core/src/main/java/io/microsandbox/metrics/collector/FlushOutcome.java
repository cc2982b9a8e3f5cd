package io.microsandbox.metrics.collector;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one {@link RunningCollector#flush()} achieved: each exporter's part of it, in registration
 * order. Immutable.
 *
 * @param results each exporter's flush keyed by its name (see {@link
 *     RunningCollector#exporterNames()}), in registration order (copied)
 */
public record FlushOutcome(Map<String, ExporterFlush> results) {

  /** Copies the results, keeping their order. */
  public FlushOutcome {
    results = Collections.unmodifiableMap(new LinkedHashMap<>(results));
  }

  /**
   * Whether nothing is left to send for any exporter: each exported, or had nothing buffered
   * ({@link ExporterFlush#isSuccess()}).
   */
  public boolean isSuccess() {
    return results.values().stream().allMatch(ExporterFlush::isSuccess);
  }

  /** Whether no exporter had anything buffered (no export call was made). */
  public boolean nothingToExport() {
    return results.values().stream()
        .allMatch(f -> f.state() == ExporterFlush.State.NOTHING_TO_EXPORT);
  }

  @Override
  public String toString() {
    return "FlushOutcome" + results;
  }
}
