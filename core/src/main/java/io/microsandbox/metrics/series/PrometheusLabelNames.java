package io.microsandbox.metrics.series;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns attribute keys into valid Prometheus label names ({@code [a-zA-Z_][a-zA-Z0-9_]*}, never
 * starting with the reserved {@code __}) the way the OpenTelemetry-to-Prometheus translation does,
 * and merges labels whose names collide after that. The one rule for catalog label keys in every
 * exporter that names labels the Prometheus way (the Prometheus exposition, the Micrometer binder).
 *
 * <pre>
 *   app.kubernetes.io/name -> app_kubernetes_io_name     (every other character becomes _)
 *   2fa                    -> key_2fa                    (a leading digit gets key_)
 *   _private, __meta       -> key_private, key__meta     (a leading _ gets key)
 *   team.a=x, team/a=y     -> team_a="x;y"               (collision: values joined with ;, by original key)
 * </pre>
 */
public final class PrometheusLabelNames {
  private PrometheusLabelNames() {}

  /** The valid Prometheus label name for {@code key}. */
  public static String sanitize(String key) {
    if (key.isEmpty()) {
      return "key_";
    }
    StringBuilder b = new StringBuilder(key.length() + 4);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      b.append(ok ? c : '_');
    }
    char first = b.charAt(0);
    if (first >= '0' && first <= '9') {
      b.insert(0, "key_");
    } else if (first == '_') {
      b.insert(0, "key");
    }
    return b.toString();
  }

  /**
   * Sanitises every key of {@code labels}: keys that end up with the same name are merged into one
   * label whose value is their values joined with {@code ;} in the order of the original keys;
   * names in {@code taken} (the identity labels) are left out, so an identity label always wins.
   *
   * @param labels catalog labels, any keys
   * @param taken label names already used
   * @return label name to value, sorted by name
   */
  public static Map<String, String> sanitizeAll(Map<String, String> labels, Set<String> taken) {
    Map<String, List<String>> byName = new TreeMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
      String name = sanitize(e.getKey());
      if (!taken.contains(name)) {
        byName.computeIfAbsent(name, n -> new ArrayList<>(1)).add(e.getValue());
      }
    }
    Map<String, String> out = new TreeMap<>();
    byName.forEach((name, values) -> out.put(name, String.join(";", values)));
    return out;
  }
}
