package io.microsandbox.metrics.registry;

import io.microsandbox.metrics.registry.internal.ExactBytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where microsandbox keeps the metrics registry: the home directory it runs under and the POSIX
 * shared-memory name derived from it.
 *
 * <pre>
 *   --msb-home PATH  >  $MSB_HOME  >  $HOME/.microsandbox      (home, used byte for byte)
 *   home --FNV-1a 64--> /msb-met-&lt;16 lower-case hex digits&gt;-v3  (shared-memory object name)
 * </pre>
 */
public final class RegistryName {
  private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private RegistryName() {}

  /**
   * The microsandbox home directory: {@code msbHomeFlag} when given, else {@code $MSB_HOME}, else
   * {@code $HOME/.microsandbox}. Values are used exactly as given (no normalisation); an empty
   * value counts as not given.
   *
   * @param msbHomeFlag the {@code --msb-home} value, or null
   * @param env the environment (usually {@link System#getenv()})
   * @throws IllegalArgumentException when neither the flag, {@code MSB_HOME} nor {@code HOME} is
   *     set
   */
  public static String resolveHome(@Nullable String msbHomeFlag, Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    if (msbHomeFlag != null && !msbHomeFlag.isEmpty()) {
      return msbHomeFlag;
    }
    String msbHome = env.get("MSB_HOME");
    if (msbHome != null && !msbHome.isEmpty()) {
      return msbHome;
    }
    String home = env.get("HOME");
    if (home != null && !home.isEmpty()) {
      return home + "/.microsandbox";
    }
    throw new IllegalArgumentException(
        "cannot locate the microsandbox home: neither --msb-home, $MSB_HOME nor $HOME is set");
  }

  /**
   * The shared-memory object name of the registry of microsandbox home {@code home}: {@code
   * /msb-met-<fnv1a64 of the UTF-8 bytes of home>-v3}.
   */
  public static String forHome(String home) {
    return forHomeBytes(home.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The shared-memory object name of the registry of the microsandbox home whose path is exactly
   * {@code home} (bytes, as the operating system holds it): {@code /msb-met-<fnv1a64>-v3}.
   */
  public static String forHomeBytes(byte[] home) {
    long hash = fnv1a64(home);
    String hex = Long.toHexString(hash);
    return "/msb-met-" + "0".repeat(16 - hex.length()) + hex + "-v3";
  }

  /**
   * The registry name for {@code --msb-home} / the environment (see {@link #resolveHome}), hashed
   * from the exact bytes microsandbox would hash: the JVM decodes arguments and the environment
   * with the locale's charset, which loses non-ASCII bytes under {@code LC_ALL=C} and bytes that
   * are not UTF-8 in every locale, so on Linux the bytes are read back from {@code
   * /proc/self/cmdline} and {@code /proc/self/environ}. A value not found there (given by code) is
   * hashed as UTF-8.
   *
   * @throws IllegalArgumentException when no home is set, or when its exact bytes cannot be had (a
   *     locale lost them and {@code /proc/self} is not readable): a clear error, never a wrong name
   */
  public static String resolve(@Nullable String msbHomeFlag, Map<String, String> env) {
    return forHomeBytes(resolveHomeBytes(msbHomeFlag, env));
  }

  /** The exact bytes of the home {@link #resolveHome} picks (see {@link #resolve}). */
  static byte[] resolveHomeBytes(@Nullable String msbHomeFlag, Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    if (msbHomeFlag != null && !msbHomeFlag.isEmpty()) {
      return ExactBytes.ofArgument(msbHomeFlag, "--msb-home", "--msb-home");
    }
    String msbHome = env.get("MSB_HOME");
    if (msbHome != null && !msbHome.isEmpty()) {
      return ExactBytes.ofEnvironment(msbHome, "MSB_HOME", "$MSB_HOME");
    }
    String home = env.get("HOME");
    if (home != null && !home.isEmpty()) {
      byte[] base = ExactBytes.ofEnvironment(home, "HOME", "$HOME");
      byte[] suffix = "/.microsandbox".getBytes(StandardCharsets.US_ASCII);
      byte[] all = Arrays.copyOf(base, base.length + suffix.length);
      System.arraycopy(suffix, 0, all, base.length, suffix.length);
      return all;
    }
    return resolveHome(null, env).getBytes(StandardCharsets.UTF_8); // throws: nothing is set
  }

  /** The 64-bit FNV-1a hash of {@code bytes} (wrapping arithmetic). */
  public static long fnv1a64(byte[] bytes) {
    long h = FNV_OFFSET_BASIS;
    for (byte b : bytes) {
      h ^= b & 0xff;
      h *= FNV_PRIME;
    }
    return h;
  }
}
