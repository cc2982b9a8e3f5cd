package io.microsandbox.metrics.otel;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The one way an endpoint URL is shown (logs, errors, {@code toString}): credentials in it are
 * replaced by {@code ***}, whether the URL parses or not.
 *
 * <pre>
 *   http://alice:s3cret@host:4317           --&gt;  http://***@host:4317
 *   https://host/v1/metrics?token=abc&amp;x   --&gt;  https://host/v1/metrics?token=***&amp;***
 *   https://host/v1/metrics#key              --&gt;  https://host/v1/metrics#***
 * </pre>
 *
 * <p>The user-info part and every query value (a bare query word too) are redacted, and the
 * fragment; scheme, host, port, path and query names stay, so the line still says where.
 */
public final class EndpointRedaction {
  // scheme://userinfo@ : the user info is everything up to the authority's last '@'
  private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@");

  private EndpointRedaction() {}

  /**
   * {@code endpoint} with its credentials replaced by {@code ***}; null as {@code "null"}.
   *
   * @param endpoint a URL as the user gave it (may be malformed)
   * @return the text to show
   */
  public static String redact(@Nullable String endpoint) {
    if (endpoint == null) {
      return "null";
    }
    Matcher m = USER_INFO.matcher(endpoint);
    String s = m.find() ? m.group(1) + "***@" + endpoint.substring(m.end()) : endpoint;
    String fragment = "";
    int hash = s.indexOf('#');
    if (hash >= 0) {
      fragment = "#***";
      s = s.substring(0, hash);
    }
    int q = s.indexOf('?');
    if (q >= 0) {
      StringBuilder b = new StringBuilder(s.substring(0, q + 1));
      String[] params = s.substring(q + 1).split("&", -1);
      for (int i = 0; i < params.length; i++) {
        if (i > 0) {
          b.append('&');
        }
        int eq = params[i].indexOf('=');
        b.append(
            eq >= 0 ? params[i].substring(0, eq + 1) + "***" : params[i].isEmpty() ? "" : "***");
      }
      s = b.toString();
    }
    return s + fragment;
  }
}
