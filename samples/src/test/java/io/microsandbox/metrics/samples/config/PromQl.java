package io.microsandbox.metrics.samples.config;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pulls the series names and label names out of a PromQL expression, well enough for the sample
 * dashboard and rules: strings, numbers, durations, Grafana variables, functions and keywords are
 * set aside; every other identifier is a series name.
 */
final class PromQl {
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern MATCHERS = Pattern.compile("\\{([^}]*)}");
  private static final Pattern MATCHER_LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
  private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{?\\w+}?");
  private static final Pattern NUMBER =
      Pattern.compile("(?<![\\w:])\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?(?![\\w:])");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right");

  /** The series names and label names an expression uses. */
  record References(Set<String> series, Set<String> labels) {}

  private PromQl() {}

  static References references(String expr) {
    Set<String> labels = new LinkedHashSet<>();
    String rest = STRING.matcher(expr).replaceAll(" ");
    Matcher matchers = MATCHERS.matcher(rest);
    while (matchers.find()) {
      Matcher label = MATCHER_LABEL.matcher(matchers.group(1));
      while (label.find()) {
        labels.add(label.group(1));
      }
    }
    rest = MATCHERS.matcher(rest).replaceAll(" ");
    rest = RANGE.matcher(rest).replaceAll(" ");
    Matcher grouping = GROUPING.matcher(rest);
    while (grouping.find()) {
      for (String l : grouping.group(1).split(",")) {
        if (!l.isBlank()) {
          labels.add(l.trim());
        }
      }
    }
    rest = GROUPING.matcher(rest).replaceAll(" ");
    rest = GRAFANA_VARIABLE.matcher(rest).replaceAll(" ");
    rest = NUMBER.matcher(rest).replaceAll(" ");

    Set<String> series = new LinkedHashSet<>();
    Matcher id = IDENTIFIER.matcher(rest);
    while (id.find()) {
      boolean isFunction = rest.substring(id.end()).stripLeading().startsWith("(");
      if (!isFunction && !KEYWORDS.contains(id.group())) {
        series.add(id.group());
      }
    }
    return new References(series, labels);
  }
}
