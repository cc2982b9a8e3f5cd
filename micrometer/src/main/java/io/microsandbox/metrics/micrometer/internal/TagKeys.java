package io.microsandbox.metrics.micrometer.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Catalog label keys as tag keys, by the rule of the project's Prometheus exposition
 * (exporter-prometheus's {@code LabelNames}): every character outside {@code [a-zA-Z0-9]} becomes
 * {@code _}, a leading digit gets {@code key_}, a leading {@code _} gets {@code key}, and keys that
 * end up equal are merged into one tag whose value joins theirs with {@code ;}. Done here rather
 * than left to a registry's naming convention so that two keys never collide into one tag name
 * (which a Prometheus registry would refuse) and every registry sees the same tags.
 */
public final class TagKeys {
  private TagKeys() {}

  /** The tag key for {@code key}. */
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
   * Sanitises every key; keys that collide are merged (values joined with {@code ;} in the order of
   * the original keys); keys in {@code taken} are left out, so an identity tag always wins.
   *
   * @return tag key to value, sorted by key
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
