package io.microsandbox.metrics.otel.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/** Facts about the build and the host that go into the OTLP resource and scope. */
public final class BuildInfo {
  private static final String VERSION = readVersion();

  private BuildInfo() {}

  /** The project version, from {@code version.properties} filtered at build time. */
  public static String version() {
    return VERSION;
  }

  /**
   * The host's name, best effort: {@code $HOSTNAME}, then {@code /etc/hostname}, then the JDK's
   * local host lookup (which may do DNS, so it comes last).
   */
  public static Optional<String> hostname() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return Optional.of(env.trim());
    }
    try {
      String file = Files.readString(Path.of("/etc/hostname")).trim();
      if (!file.isEmpty()) {
        return Optional.of(file);
      }
    } catch (IOException | RuntimeException ignored) {
      // not Linux-like, or unreadable: try the JDK
    }
    try {
      return Optional.of(InetAddress.getLocalHost().getHostName());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String readVersion() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException ignored) {
      // fall through to the manifest
    }
    String v = p.getProperty("version", "");
    if (v.isEmpty() || v.contains("${")) {
      v = BuildInfo.class.getPackage().getImplementationVersion();
    }
    return v == null || v.isEmpty() ? "unknown" : v;
  }
}
