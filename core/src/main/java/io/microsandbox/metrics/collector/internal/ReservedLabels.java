package io.microsandbox.metrics.collector.internal;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Renames label keys that collide with Prometheus's reserved or target labels, once, before the
 * labels reach any exporter, so every backend sees the same keys (docs/limits.md).
 *
 * <pre>
 *   le, quantile, job, instance   --&gt;  exported_le, exported_quantile, exported_job, exported_instance
 *   __anything                    --&gt;  exported___anything
 *   job beside exported_job       --&gt;  exported_exported_job (the prefix repeats until the key is free)
 *   anything else                 --&gt;  itself
 * </pre>
 *
 * <p>Why: {@code le} and {@code quantile} belong to histograms and summaries ({@code promtool check
 * metrics} fails on a gauge that has them), {@code job} and {@code instance} are the target labels
 * a scrape attaches (under {@code honor_labels: true} a sandbox's {@code job} label would move its
 * series to another job), and {@code __} names are reserved for Prometheus's internal use. The
 * {@code exported_} prefix is the rule Prometheus itself applies to a scraped label that collides
 * with a target label, so a dashboard written for either source finds the same key. The same rule
 * applies to OTLP, whose data usually ends in a Prometheus-compatible store as well.
 */
public final class ReservedLabels {
  /** Label keys that are renamed besides those starting with {@code __}. */
  public static final Set<String> RESERVED = Set.of("le", "quantile", "job", "instance");

  /** What a reserved key is prefixed with. */
  public static final String PREFIX = "exported_";

  private ReservedLabels() {}

  /** Whether {@code key} is renamed. */
  public static boolean isReserved(String key) {
    return RESERVED.contains(key) || key.startsWith("__");
  }

  /**
   * {@code labels} with every reserved key renamed.
   *
   * @param labels a sandbox's labels
   * @param renamed told of each rename, original key first
   * @return {@code labels} itself when no key is reserved, else a new sorted map
   */
  public static Map<String, String> renameAll(
      Map<String, String> labels, BiConsumer<String, String> renamed) {
    boolean any = false;
    for (String key : labels.keySet()) {
      if (isReserved(key)) {
        any = true;
        break;
      }
    }
    if (!any) {
      return labels;
    }
    TreeMap<String, String> out = new TreeMap<>();
    labels.forEach(
        (k, v) -> {
          if (!isReserved(k)) {
            out.put(k, v);
          }
        });
    // in key order, so which of two colliding renames gets the longer prefix never varies
    for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
      if (isReserved(e.getKey())) {
        String name = PREFIX + e.getKey();
        while (out.containsKey(name)) {
          name = PREFIX + name;
        }
        out.put(name, e.getValue());
        renamed.accept(e.getKey(), name);
      }
    }
    return out;
  }
}
