package io.microsandbox.metrics.collector;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {

  @Test
  void escapesEveryControlCharacterAndTheUnicodeLineSeparators() {
    assertThat(LogSafe.escape("a\nb\rc\td")).isEqualTo("a\\nb\\rc\\td");
    assertThat(LogSafe.escape("\u0000\u001b[31m\u007f\u0085\u009f"))
        .isEqualTo("\\u0000\\u001b[31m\\u007f\\u0085\\u009f");
    assertThat(LogSafe.escape("x\u2028y\u2029z")).isEqualTo("x\\u2028y\\u2029z");
    assertThat(LogSafe.escape(null)).isEqualTo("null");
    assertThat(LogSafe.escape(new IllegalStateException("bad\nthing")))
        .isEqualTo("java.lang.IllegalStateException: bad\\nthing");
  }

  @Test
  void escapesBidiAndOtherFormatCharactersSoNoNameCanReorderALine() {
    // issue 21 point 14: a right-to-left override shows "web-exe.txt" as "web-txt.exe"
    assertThat(LogSafe.escape("web-\u202Etxt.exe\u202C")).isEqualTo("web-\\u202etxt.exe\\u202c");
    assertThat(LogSafe.escape("a\u200Fb\u200Ec\u061Cd")).isEqualTo("a\\u200fb\\u200ec\\u061cd");
    assertThat(LogSafe.escape("\u2066x\u2069")).isEqualTo("\\u2066x\\u2069");
    assertThat(LogSafe.escape("zero\u200Bwidth\uFEFF")).isEqualTo("zero\\u200bwidth\\ufeff");
    // a tag character beyond the BMP, escaped whole, not as two surrogates
    assertThat(LogSafe.escape("x\uDB40\uDC01y")).isEqualTo("x\\u{e0001}y");
    // emoji and other supplementary characters that are not format characters stay
    String emoji = "sandbox-\uD83D\uDE80";
    assertThat(LogSafe.escape(emoji)).isSameAs(emoji);
  }

  @Test
  void leavesOrdinaryTextAloneWithoutCopying() {
    String plain = "web-1 tier=β \\ \"quoted\" 日本";
    assertThat(LogSafe.escape(plain)).isSameAs(plain);
  }
}
