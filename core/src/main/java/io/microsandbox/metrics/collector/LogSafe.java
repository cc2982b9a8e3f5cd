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
 *   "evil\u202Etxt.exe"   -->  "evil\\u202etxt.exe"    (a bidi override cannot reorder the line)
 *   "plain value"         -->  the same instance, nothing copied
 * </pre>
 *
 * <p>Escaped: every ISO control character (U+0000-U+001F, U+007F-U+009F), the Unicode line and
 * paragraph separators (U+2028, U+2029), and every format character (Unicode category Cf: the bidi
 * embeddings, overrides, isolates and marks U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C,
 * the zero-width U+200B-U+200D, U+2060, U+FEFF, the soft hyphen, the tag characters
 * U+E0000-U+E007F, ...), which would otherwise let a name reorder or hide what a terminal or log
 * viewer shows: {@code \n}, {@code \r}, {@code \t} by name, the rest as {@code \}{@code uXXXX}
 * ({@code \}{@code u{XXXXX}} beyond the BMP). Everything else, backslashes included, is kept as it
 * is, so an ordinary value reads the same in the log, the text output and the backend.
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
    for (int i = first; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      if (!isUnsafe(c)) {
        out.appendCodePoint(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (c <= 0xFFFF) {
        out.append(String.format(Locale.ROOT, "\\u%04x", c));
      } else {
        out.append(String.format(Locale.ROOT, "\\u{%x}", c));
      }
    }
    return out.toString();
  }

  private static int firstUnsafe(String s) {
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      if (isUnsafe(c)) {
        return i;
      }
      i += Character.charCount(c);
    }
    return -1;
  }

  /**
   * Whether a code point is escaped: controls, line and paragraph separators, format characters
   * (bidi controls among them).
   */
  public static boolean isUnsafe(int codePoint) {
    return Character.isISOControl(codePoint)
        || codePoint == '\u2028'
        || codePoint == '\u2029'
        || Character.getType(codePoint) == Character.FORMAT;
  }
}
