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
  void leavesOrdinaryTextAloneWithoutCopying() {
    String plain = "web-1 tier=β \\ \"quoted\" 日本";
    assertThat(LogSafe.escape(plain)).isSameAs(plain);
  }
}
