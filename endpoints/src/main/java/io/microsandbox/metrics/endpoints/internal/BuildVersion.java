package io.microsandbox.metrics.endpoints.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The project version, from {@code version.properties} filtered at build time. */
public final class BuildVersion {
  private static final String VERSION = read();

  private BuildVersion() {}

  /** The version, or {@code unknown} when the resource was not filtered. */
  public static String get() {
    return VERSION;
  }

  private static String read() {
    Properties p = new Properties();
    try (InputStream in = BuildVersion.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException ignored) {
      // fall through to unknown
    }
    String v = p.getProperty("version", "");
    return v.isEmpty() || v.contains("${") ? "unknown" : v;
  }
}
