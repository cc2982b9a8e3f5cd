package io.microsandbox.metrics.micrometer.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A Prometheus text exposition (format 0.0.4) read back: each family's TYPE and HELP, and each
 * sample as {@code name{labels} value} with labels sorted, so that two expositions compare
 * regardless of label order.
 *
 * @param types TYPE by family name
 * @param helps HELP by family name
 * @param samples every sample line, labels sorted by name
 */
public record TextExposition(
    Map<String, String> types, Map<String, String> helps, Set<String> samples) {

  /**
   * Reads {@code text}, leaving out labels named in {@code dropLabels} and labels with an empty
   * value (Prometheus reads those as absent).
   */
  public static TextExposition parse(String text, Set<String> dropLabels) {
    Map<String, String> types = new TreeMap<>();
    Map<String, String> helps = new TreeMap<>();
    Set<String> samples = new TreeSet<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("# TYPE ")) {
        String[] p = line.substring(7).split(" ", 2);
        types.put(p[0], p[1]);
      } else if (line.startsWith("# HELP ")) {
        String[] p = line.substring(7).split(" ", 2);
        helps.put(p[0], p.length > 1 ? p[1] : "");
      } else if (!line.startsWith("#")) {
        samples.add(sample(line, dropLabels));
      }
    }
    return new TextExposition(types, helps, samples);
  }

  private static String sample(String line, Set<String> dropLabels) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    if (brace < 0 || brace > space) {
      return line.substring(0, space) + " " + line.substring(space + 1).trim();
    }
    String name = line.substring(0, brace);
    Map<String, String> labels = new TreeMap<>();
    int i = brace + 1;
    while (line.charAt(i) != '}') {
      int eq = line.indexOf('=', i);
      String key = line.substring(i, eq);
      StringBuilder value = new StringBuilder();
      int j = eq + 2; // past ="
      while (line.charAt(j) != '"') {
        if (line.charAt(j) == '\\') {
          value.append(line.charAt(j)).append(line.charAt(j + 1));
          j += 2;
        } else {
          value.append(line.charAt(j++));
        }
      }
      if (!dropLabels.contains(key) && value.length() > 0) {
        labels.put(key, value.toString());
      }
      i = j + 1;
      if (line.charAt(i) == ',') {
        i++;
      }
    }
    String value = line.substring(i + 1).trim();
    if (labels.isEmpty()) {
      return name + " " + value;
    }
    Map<String, String> ordered = new LinkedHashMap<>(labels);
    StringBuilder b = new StringBuilder(name).append('{');
    ordered.forEach((k, v) -> b.append(k).append("=\"").append(v).append("\","));
    return b.append("} ").append(value).toString();
  }
}
