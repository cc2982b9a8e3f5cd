package io.microsandbox.metrics.cli.top;

import org.jline.utils.WCWidth;

/**
 * Widths in terminal columns, not in Java chars: a CJK ideograph or an emoji takes two columns, a
 * combining mark none, and a character outside the Basic Multilingual Plane is one code point
 * although it is two chars. Columns padded or cut by {@code String.length()} misaligned as soon as
 * a name held such characters. Widths come from JLine's {@link WCWidth} (Markus Kuhn's wcwidth),
 * the table the terminal library itself uses.
 *
 * <p>Text given here is already escaped ({@code LogSafe}): controls and format characters, whose
 * width wcwidth leaves undefined, never reach it; one would count as zero columns.
 */
final class DisplayWidth {
  private DisplayWidth() {}

  /** The columns {@code s} takes. */
  static int of(String s) {
    int columns = 0;
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      columns += Math.max(0, WCWidth.wcwidth(c));
      i += Character.charCount(c);
    }
    return columns;
  }

  /**
   * The longest start of {@code s} that fits in {@code columns} (a double-width character that
   * would straddle the edge is left out whole, and so are the combining marks after it).
   */
  static String cut(String s, int columns) {
    int used = 0;
    int i = 0;
    while (i < s.length()) {
      int c = s.codePointAt(i);
      int w = Math.max(0, WCWidth.wcwidth(c));
      if (used + w > columns) {
        break;
      }
      used += w;
      i += Character.charCount(c);
    }
    return s.substring(0, i);
  }

  /** {@code s} followed by blanks up to {@code columns}. */
  static String pad(String s, int columns) {
    int w = of(s);
    return w >= columns ? s : s + " ".repeat(columns - w);
  }
}
