package io.microsandbox.metrics.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Utf8LossyTest {

  private static String decodeHex(String hex) {
    byte[] b = HexFormat.of().parseHex(hex);
    return Utf8Lossy.decode(b, 0, b.length);
  }

  /** Expected values are Rust's {@code String::from_utf8_lossy} (and Python's "replace"). */
  @ParameterizedTest
  @CsvSource({
    "616263, abc",
    "61ff62e282, a\uFFFDb\uFFFD",
    "eda080, \uFFFD\uFFFD\uFFFD", // an encoded surrogate: three, where Java's decoder gives one
    "edbfbf, \uFFFD\uFFFD\uFFFD",
    "ed9fbf, \uD7FF",
    "f0808080, \uFFFD\uFFFD\uFFFD\uFFFD",
    "c0af, \uFFFD\uFFFD",
    "e0808061, \uFFFD\uFFFD\uFFFDa",
    "f4908080, \uFFFD\uFFFD\uFFFD\uFFFD",
    "f09f9880, \uD83D\uDE00",
    "f09f98, \uFFFD",
    "f09f41, \uFFFDA",
    "e0a041, \uFFFDA",
    "c241, \uFFFDA",
    "e5908d, \u540D",
  })
  void replacesEachMaximalInvalidSubpartLikeRust(String hex, String expected) {
    assertThat(decodeHex(hex)).isEqualTo(expected);
  }

  @Test
  void agreesWithJavaOnValidInputAndOffsets() {
    String text = "name128-\u540D-\uD83D\uDE00-é";
    byte[] bytes = ("xx" + text).getBytes(StandardCharsets.UTF_8);
    assertThat(Utf8Lossy.decode(bytes, 2, bytes.length - 2)).isEqualTo(text);
    assertThat(Utf8Lossy.decode(bytes, 0, 0)).isEmpty();
  }

  @Test
  void agreesWithJavaOnRandomInputWithoutEncodedSurrogates() {
    Random random = new Random(7);
    byte[] bytes = new byte[24];
    for (int round = 0; round < 20_000; round++) {
      random.nextBytes(bytes);
      for (int i = 0; i < bytes.length; i++) {
        if ((bytes[i] & 0xff) == 0xed) {
          bytes[i] = 'e'; // the one case where Java and Rust differ on purpose
        }
      }
      assertThat(Utf8Lossy.decode(bytes, 0, bytes.length))
          .as(HexFormat.of().formatHex(bytes))
          .isEqualTo(new String(bytes, StandardCharsets.UTF_8));
    }
  }
}
