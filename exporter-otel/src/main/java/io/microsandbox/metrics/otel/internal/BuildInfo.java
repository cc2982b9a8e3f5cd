package io.microsandbox.metrics.otel.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Facts about the host that go into the OTLP resource. */
public final class BuildInfo {
  private BuildInfo() {}

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
}
