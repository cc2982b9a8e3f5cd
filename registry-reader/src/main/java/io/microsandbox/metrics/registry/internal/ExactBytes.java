package io.microsandbox.metrics.registry.internal;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The exact bytes behind a command-line argument or an environment value the JVM gave us as a
 * {@link String}. The JVM decodes both with the locale's charset ({@code sun.jnu.encoding}) before
 * any Java code runs: under {@code LC_ALL=C} every non-ASCII byte becomes U+FFFD, and bytes that
 * are not valid UTF-8 are lost in every locale. microsandbox hashes the bytes, so we must too.
 *
 * <pre>
 *   pure ASCII text              --> its bytes (every charset decodes ASCII exactly)
 *   otherwise, on Linux          --> the bytes in /proc/self/cmdline or /proc/self/environ whose
 *                                    decoding is the text (exactly one candidate)
 *   not from this process        --> UTF-8 of the text (a home given by code), unless it holds
 *                                    U+FFFD: then an error, never a guess
 * </pre>
 */
public final class ExactBytes {
  private static final Path CMDLINE = Path.of("/proc/self/cmdline");
  private static final Path ENVIRON = Path.of("/proc/self/environ");

  private ExactBytes() {}

  /**
   * The bytes of {@code value}, given as the value of option {@code option} (for example {@code
   * --msb-home}, either {@code --msb-home VALUE} or {@code --msb-home=VALUE}).
   *
   * @throws IllegalArgumentException naming {@code what} when the exact bytes cannot be had
   */
  public static byte[] ofArgument(String value, String option, String what) {
    return exact(value, what, () -> argumentCandidates(value, option));
  }

  /**
   * The bytes of {@code value}, given as the value of environment variable {@code variable}.
   *
   * @throws IllegalArgumentException naming {@code what} when the exact bytes cannot be had
   */
  public static byte[] ofEnvironment(String value, String variable, String what) {
    return exact(value, what, () -> environmentCandidates(value, variable));
  }

  private interface Candidates {
    @Nullable List<byte[]> find() throws IOException;
  }

  private static byte[] exact(String value, String what, Candidates candidates) {
    // ASCII is decoded exactly by every charset; a '?' may stand for a lost byte, though
    if (isAscii(value) && value.indexOf('?') < 0) {
      return value.getBytes(StandardCharsets.US_ASCII);
    }
    List<byte[]> found;
    try {
      found = candidates.find();
    } catch (IOException | SecurityException e) {
      found = null; // no /proc (macOS, a sandbox without it): decide from the text alone
    }
    if (found != null && !found.isEmpty()) {
      byte[] first = found.get(0);
      for (byte[] other : found) {
        if (!Arrays.equals(first, other)) {
          throw new IllegalArgumentException(
              what
                  + " is given more than once with different bytes that read the same in this"
                  + " locale ("
                  + jnuCharset()
                  + "); run with a UTF-8 locale (LC_ALL=C.UTF-8) or give it once");
        }
      }
      return first;
    }
    if (value.indexOf('\uFFFD') < 0) {
      return value.getBytes(StandardCharsets.UTF_8); // given by code, or '?' meant as '?'
    }
    throw new IllegalArgumentException(
        "cannot tell the exact bytes of "
            + what
            + ": the "
            + jnuCharset()
            + " locale lost some of them and /proc/self is not readable; run with a UTF-8 locale"
            + " (LC_ALL=C.UTF-8) and a home that is valid UTF-8");
  }

  private static List<byte[]> argumentCandidates(String value, String option) throws IOException {
    List<byte[]> args = split(Files.readAllBytes(CMDLINE));
    byte[] prefix = (option + "=").getBytes(StandardCharsets.US_ASCII);
    List<byte[]> out = new ArrayList<>();
    for (byte[] arg : args) {
      if (readsAs(arg, value)) {
        out.add(arg);
      } else if (startsWith(arg, prefix)) {
        byte[] rest = Arrays.copyOfRange(arg, prefix.length, arg.length);
        if (readsAs(rest, value)) {
          out.add(rest);
        }
      }
    }
    return out;
  }

  private static List<byte[]> environmentCandidates(String value, String variable)
      throws IOException {
    byte[] prefix = (variable + "=").getBytes(StandardCharsets.US_ASCII);
    for (byte[] entry : split(Files.readAllBytes(ENVIRON))) {
      if (startsWith(entry, prefix)) { // the first, as getenv(3) finds it
        byte[] rest = Arrays.copyOfRange(entry, prefix.length, entry.length);
        return readsAs(rest, value) ? List.of(rest) : List.of();
      }
    }
    return List.of();
  }

  /** NUL-terminated entries. */
  private static List<byte[]> split(byte[] all) {
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == 0) {
        out.add(Arrays.copyOfRange(all, start, i));
        start = i + 1;
      }
    }
    if (start < all.length) {
      out.add(Arrays.copyOfRange(all, start, all.length));
    }
    return out;
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length
        && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }

  /**
   * Whether the JVM would have turned {@code bytes} into {@code value}: arguments are decoded with
   * {@code sun.jnu.encoding}, the environment with the default charset, and the JDK's native
   * US-ASCII fast path writes '?' for a byte above 0x7f.
   */
  private static boolean readsAs(byte[] bytes, String value) {
    if (new String(bytes, jnuCharset()).equals(value)
        || new String(bytes, Charset.defaultCharset()).equals(value)) {
      return true;
    }
    if (bytes.length != value.length()) {
      return false;
    }
    for (int i = 0; i < bytes.length; i++) {
      char expected = bytes[i] >= 0 ? (char) bytes[i] : '?';
      if (value.charAt(i) != expected) {
        return false;
      }
    }
    return true;
  }

  private static Charset jnuCharset() {
    String name = System.getProperty("sun.jnu.encoding");
    try {
      return name == null ? Charset.defaultCharset() : Charset.forName(name);
    } catch (IllegalArgumentException e) {
      return Charset.defaultCharset();
    }
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
