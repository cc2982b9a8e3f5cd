package io.microsandbox.metrics.micrometer.internal;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.series.PrometheusLabelNames;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tags of a sandbox's meters: the identity ({@code sandbox_name}, {@code sandbox_id}, opt-in
 * {@code sandbox_run_id} and {@code sandbox_pid}) and its catalog labels as the project's
 * Prometheus exposition names them (see {@link PrometheusLabelNames}).
 *
 * <p>A Prometheus registry refuses a meter whose tag keys differ from those of an earlier meter of
 * the same name, while sandboxes carry different catalog labels. So every sandbox gets every
 * catalog key of the collection, an empty value where it has none: Prometheus treats a label with
 * an empty value as absent, so each series keeps the identity it has in the project's own
 * exposition.
 */
public final class SandboxTags {
  /** Identity tag: the sandbox's name. */
  public static final String SANDBOX_NAME = "sandbox_name";

  /** Identity tag: the catalog sandbox id. */
  public static final String SANDBOX_ID = "sandbox_id";

  /** Opt-in identity tag: the run id (a new one per restart). */
  public static final String SANDBOX_RUN_ID = "sandbox_run_id";

  /** Opt-in identity tag: the runtime's pid. */
  public static final String SANDBOX_PID = "sandbox_pid";

  private static final Set<String> IDENTITY =
      Set.of(SANDBOX_NAME, SANDBOX_ID, SANDBOX_RUN_ID, SANDBOX_PID);

  private final boolean emitRunId;
  private final boolean emitPid;

  /**
   * Creates the tagging rule.
   *
   * @param emitRunId add {@code sandbox_run_id}
   * @param emitPid add {@code sandbox_pid}
   */
  public SandboxTags(boolean emitRunId, boolean emitPid) {
    this.emitRunId = emitRunId;
    this.emitPid = emitPid;
  }

  /** Every catalog tag key any sandbox of {@code c} carries, sorted. */
  public Set<String> catalogKeys(SnapshotCollection c) {
    Set<String> keys = new TreeSet<>();
    for (SandboxSnapshot s : c.snapshots()) {
      Map<String, String> labels = c.labels(s);
      if (!labels.isEmpty()) {
        keys.addAll(PrometheusLabelNames.sanitizeAll(labels, IDENTITY).keySet());
      }
    }
    return keys;
  }

  /**
   * The tags of {@code s}'s meters.
   *
   * @param s the sandbox
   * @param labels its catalog labels
   * @param catalogKeys every catalog key of the collection ({@link #catalogKeys})
   */
  public Tags of(SandboxSnapshot s, Map<String, String> labels, Set<String> catalogKeys) {
    Tags tags =
        Tags.of(
            Tag.of(SANDBOX_NAME, s.name()), Tag.of(SANDBOX_ID, Integer.toString(s.sandboxId())));
    if (emitRunId) {
      tags = tags.and(SANDBOX_RUN_ID, Integer.toString(s.runId()));
    }
    if (emitPid) {
      tags = tags.and(SANDBOX_PID, Integer.toString(s.pid()));
    }
    if (catalogKeys.isEmpty()) {
      return tags;
    }
    Map<String, String> catalog = PrometheusLabelNames.sanitizeAll(labels, IDENTITY);
    for (String key : catalogKeys) {
      tags = tags.and(key, catalog.getOrDefault(key, ""));
    }
    return tags;
  }
}
