package io.microsandbox.metrics.series;

/**
 * The default OTLP-to-Prometheus name translation of Prometheus, Mimir, Alloy and the OpenTelemetry
 * Collector, for this project's own names: dots to underscores, the unit as a suffix unless the
 * name already has that word ({@code By} gives {@code bytes}, {@code s} gives {@code seconds}, a
 * unit-{@code 1} gauge {@code ratio}, a {@code {x}} unit nothing), {@code _total} for counters.
 */
final class PrometheusName {
  private PrometheusName() {}

  /**
   * The Prometheus name of an OTLP metric.
   *
   * @param otlpName the dotted OTLP name
   * @param unit the UCUM unit
   * @param counter whether it is a monotonic sum
   */
  static String of(String otlpName, String unit, boolean counter) {
    String name = otlpName.replace('.', '_');
    String suffix = unitWord(unit, counter);
    if (!suffix.isEmpty() && !name.endsWith("_" + suffix) && !name.contains("_" + suffix + "_")) {
      name = name + "_" + suffix;
    }
    return counter ? name + "_total" : name;
  }

  /** The unit word a name carries for {@code unit}, empty when none. */
  static String unitWord(String unit, boolean counter) {
    switch (unit) {
      case "By":
        return "bytes";
      case "s":
        return "seconds";
      case "1":
        return counter ? "" : "ratio";
      default:
        return "";
    }
  }

  /**
   * The unit word of a Prometheus name, when the name ends with it (before {@code _total}); empty
   * otherwise. OpenMetrics allows a {@code # UNIT} line only for such names.
   */
  static String declaredUnit(String prometheusName, String unit, boolean counter) {
    String word = unitWord(unit, counter);
    String base =
        counter && prometheusName.endsWith("_total")
            ? prometheusName.substring(0, prometheusName.length() - "_total".length())
            : prometheusName;
    return !word.isEmpty() && base.endsWith("_" + word) ? word : "";
  }
}
