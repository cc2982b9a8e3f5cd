package io.microsandbox.metrics.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How to tell a user to run {@code msb-metrics} again (the demo's "watch it" line): the command as
 * they can type it in the shell they started from. {@code msb-metrics} itself when the launcher is
 * on their {@code PATH}; else the launcher's absolute path, found from where the running jar lies
 * (a checkout's {@code cli/target/}, the tarball's {@code lib/}, or next to the launcher); else
 * {@code java -jar} with the jar's absolute path.
 */
final class LauncherCommand {
  static final String NAME = "msb-metrics";

  /** Characters that need no shell quoting. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  private LauncherCommand() {}

  /** The command for this process: its jar, the {@code PATH} of the environment. */
  static String current() {
    return of(runningJar(), System.getenv());
  }

  /**
   * The command to type for the jar at {@code jar} under {@code env}'s {@code PATH}.
   *
   * @param jar the running jar; empty when not running from one (then the bare name)
   */
  static String of(Optional<Path> jar, Map<String, String> env) {
    if (jar.isEmpty()) {
      return NAME;
    }
    Path jarFile = jar.get().toAbsolutePath().normalize();
    Path dir = jarFile.getParent();
    if (dir == null) {
      return "java -jar " + quote(jarFile.toString());
    }
    for (Path candidate :
        List.of(
            dir.resolve(NAME), // installed next to the launcher
            dir.resolveSibling("bin").resolve(NAME), // the tarball: lib/ beside bin/
            dir.resolveSibling("..").resolve("bin").resolve(NAME))) { // a checkout: cli/target/
      Path launcher = candidate.normalize();
      if (Files.isRegularFile(launcher) && Files.isExecutable(launcher)) {
        return onPath(launcher, env.get("PATH")) ? NAME : quote(launcher.toString());
      }
    }
    return "java -jar " + quote(jarFile.toString());
  }

  /** Whether {@code name} on {@code path} is {@code launcher} (after links are followed). */
  private static boolean onPath(Path launcher, @Nullable String path) {
    if (path == null || path.isEmpty()) {
      return false;
    }
    Optional<Path> real = realPath(launcher);
    if (real.isEmpty()) {
      return false;
    }
    for (String entry : path.split(":", -1)) {
      if (entry.isEmpty()) {
        continue; // the current directory: what it holds depends on where the user is
      }
      try {
        Path found = Path.of(entry).resolve(NAME);
        if (Files.isExecutable(found)) {
          // the first one found is what the shell runs
          return realPath(found).equals(real);
        }
      } catch (InvalidPathException e) {
        // not a path: the shell skips it too
      }
    }
    return false;
  }

  private static Optional<Path> realPath(Path p) {
    try {
      return Optional.of(p.toRealPath());
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  /** {@code s} as one shell word. */
  static String quote(String s) {
    return PLAIN.matcher(s).matches() ? s : "'" + s.replace("'", "'\\''") + "'";
  }

  /** The jar this class was loaded from, if it was loaded from a jar file. */
  private static Optional<Path> runningJar() {
    try {
      CodeSource source = LauncherCommand.class.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return Optional.empty();
      }
      Path p = Path.of(source.getLocation().toURI());
      return Files.isRegularFile(p) && p.toString().endsWith(".jar")
          ? Optional.of(p)
          : Optional.empty();
    } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
      return Optional.empty();
    }
  }
}
