package io.microsandbox.metrics.collector;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one {@link RunningCollector#flush()} achieved: each exporter's result for that flush
 * attempt, in registration order. Immutable.
 *
 * @param results each exporter's result keyed by its collector-unique name (see {@link
 *     RunningCollector#exporterNames()}), in registration order (copied)
 */
public record FlushOutcome(Map<String, ExportResult> results) {

  /** Copies the results, keeping their order. */
  public FlushOutcome {
    results = Collections.unmodifiableMap(new LinkedHashMap<>(results));
  }

  /** Whether every exporter's attempt succeeded (an exporter with nothing buffered succeeds). */
  public boolean isSuccess() {
    return results.values().stream().allMatch(ExportResult::isSuccess);
  }

  @Override
  public String toString() {
    return "FlushOutcome" + results;
  }
}
