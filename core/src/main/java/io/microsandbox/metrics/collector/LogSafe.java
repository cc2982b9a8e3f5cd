package io.microsandbox.metrics.collector;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Makes text that comes from outside the process (sandbox names from the registry, catalog label
 * keys and values, backend messages) safe to put into a log line or a text output line: control
 * characters are escaped, so such a value can never start a new line or forge another entry.
 *
 * <pre>
 *   "web\nERROR forged"   -->  "web\\nERROR forged"      (shown as web\nERROR forged)
 *   "a\u001b[31mb"        -->  "a\\u001b[31mb"
 *   "plain value"         -->  the same instance, nothing copied
 * </pre>
 *
 * <p>Escaped: every ISO control character (U+0000-U+001F, U+007F-U+009F) and the Unicode line and
 * paragraph separators (U+2028, U+2029): {@code \n}, {@code \r}, {@code \t} by name, the rest as
 * {@code \}{@code uXXXX}. Everything else, backslashes included, is kept as it is, so an ordinary
 * value reads the same in the log, the text output and the backend.
 */
public final class LogSafe {
  private LogSafe() {}

  /**
   * {@code value} with its control characters escaped; {@code "null"} for null.
   *
   * @param value text from outside (may be null)
   * @return the escaped text; {@code value} itself when nothing needed escaping
   */
  public static String escape(@Nullable Object value) {
    String s = String.valueOf(value);
    int first = firstUnsafe(s);
    if (first < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length() + 16).append(s, 0, first);
    for (int i = first; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!isUnsafe(c)) {
        out.append(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      }
    }
    return out.toString();
  }

  private static int firstUnsafe(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (isUnsafe(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isUnsafe(char c) {
    return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
  }
}
