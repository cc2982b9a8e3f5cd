package io.microsandbox.metrics.prometheus.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Picks, from an HTTP {@code Accept} header, the media range the client prefers most among those
 * served, honouring quality values (RFC 9110 section 12.5.1): ranges are tried by descending {@code
 * q} (ties in the order given), and a range with {@code q=0} is never chosen.
 *
 * <pre>
 *   "text/plain;q=1, application/openmetrics-text;q=0.5"  --&gt;  "text/plain;q=1"
 *   "application/openmetrics-text;q=0, text/plain"        --&gt;  "text/plain"
 *   "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"
 *                                                         --&gt;  "application/openmetrics-text;version=1.0.0"
 * </pre>
 *
 * <p>Why: the Prometheus client's own negotiation looks only for a format's name anywhere in the
 * header, so a scraper that ranks OpenMetrics last, or refuses it with {@code q=0}, still got it.
 */
public final class AcceptHeader {
  private AcceptHeader() {}

  /**
   * The most preferred media range of {@code accept} that {@code served} accepts.
   *
   * @param accept the header, or null
   * @param served whether a single media range (with its parameters) names a served format
   * @return that range with its parameters, or null when none is acceptable (or there is no header)
   */
  public static @Nullable String preferred(@Nullable String accept, Predicate<String> served) {
    if (accept == null || accept.isBlank()) {
      return null;
    }
    record Range(String text, double q, int order) {}
    List<Range> ranges = new ArrayList<>();
    String[] parts = accept.split(",");
    for (int i = 0; i < parts.length; i++) {
      String text = parts[i].trim();
      if (!text.isEmpty()) {
        ranges.add(new Range(text, quality(text), i));
      }
    }
    ranges.sort(Comparator.comparingDouble(Range::q).reversed().thenComparingInt(Range::order));
    for (Range r : ranges) {
      if (r.q() > 0 && served.test(r.text())) {
        return r.text();
      }
    }
    return null;
  }

  /** The {@code q} parameter of one media range: 1 when absent, 0 when malformed. */
  static double quality(String range) {
    for (String param : range.split(";")) {
      String p = param.trim().toLowerCase(Locale.ROOT);
      if (p.startsWith("q=")) {
        try {
          double q = Double.parseDouble(p.substring(2).trim());
          return q >= 0 && q <= 1 ? q : 0;
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 1;
  }
}
