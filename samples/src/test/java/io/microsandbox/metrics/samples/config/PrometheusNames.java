package io.microsandbox.metrics.samples.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The name a Prometheus-compatible backend gives an OTLP metric and attribute by default: the
 * {@code UnderscoreEscapingWithSuffixes} translation of Prometheus's OTLP receiver, which Alloy's
 * {@code otelcol.exporter.prometheus} and the Collector's {@code prometheusremotewrite} apply too.
 *
 * <p>Rules (OpenTelemetry's "Prometheus and OpenMetrics compatibility" spec): split the name on
 * every character outside {@code [a-zA-Z0-9:]}; append the unit's Prometheus word ({@code By} ->
 * {@code bytes}, {@code s} -> {@code seconds}, {@code 1} and {@code {annotations}} -> nothing)
 * unless the name already has that word as a token; append {@code total} to monotonic sums and
 * {@code ratio} to gauges of unit {@code 1}; join with underscores.
 */
final class PrometheusNames {

  /** The OTLP point kinds that decide the type suffix. */
  enum Kind {
    GAUGE,
    MONOTONIC_SUM,
    NON_MONOTONIC_SUM
  }

  private static final Map<String, String> UNIT_WORDS =
      Map.ofEntries(
          Map.entry("By", "bytes"),
          Map.entry("KiBy", "kibibytes"),
          Map.entry("MiBy", "mebibytes"),
          Map.entry("s", "seconds"),
          Map.entry("ms", "milliseconds"),
          Map.entry("us", "microseconds"),
          Map.entry("ns", "nanoseconds"),
          Map.entry("1", ""),
          Map.entry("%", "percent"));

  private PrometheusNames() {}

  static String metricName(String otelName, String unit, Kind kind) {
    List<String> tokens = new ArrayList<>(tokens(otelName));
    String unitWord = unitWord(unit);
    if (!unitWord.isEmpty() && !tokens.contains(unitWord)) {
      tokens.add(unitWord);
    }
    if (kind == Kind.MONOTONIC_SUM) {
      tokens.removeIf("total"::equals);
      tokens.add("total");
    }
    if (kind == Kind.GAUGE && "1".equals(unit)) {
      tokens.removeIf("ratio"::equals);
      tokens.add("ratio");
    }
    return String.join("_", tokens);
  }

  /** An attribute key as a label name: every character outside {@code [a-zA-Z0-9_]} -> '_'. */
  static String labelName(String attributeKey) {
    return attributeKey.replaceAll("[^a-zA-Z0-9_]", "_");
  }

  private static List<String> tokens(String name) {
    return Arrays.stream(name.split("[^a-zA-Z0-9:]+")).filter(t -> !t.isEmpty()).toList();
  }

  private static String unitWord(String unit) {
    String main = unit.split("/", 2)[0].trim();
    if (main.isEmpty() || main.contains("{") || main.contains("}")) {
      return "";
    }
    if (unit.contains("/")) {
      throw new IllegalArgumentException("per-units are not used by this project: " + unit);
    }
    return UNIT_WORDS.getOrDefault(main, main.replaceAll("[^a-zA-Z0-9:]", "_"));
  }
}
