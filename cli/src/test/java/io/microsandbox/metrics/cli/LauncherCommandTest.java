package io.microsandbox.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command the demo tells a user to type works as typed, wherever the jar lies. */
class LauncherCommandTest {
  @TempDir Path tmp;

  private static Path file(Path p, boolean executable) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, "#!/bin/sh\n");
    if (executable) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return p;
  }

  @Test
  void aCheckoutsJarNamesTheCheckoutsLauncherByItsAbsolutePath() throws IOException {
    Path jar = file(tmp.resolve("repo/cli/target/msb-metrics.jar"), false);
    Path launcher = file(tmp.resolve("repo/bin/msb-metrics"), true);
    assertThat(LauncherCommand.of(Optional.of(jar), Map.of("PATH", "/usr/bin:/bin")))
        .isEqualTo(launcher.toString())
        .startsWith("/");
  }

  @Test
  void theTarballsJarNamesTheLauncherBesideIt() throws IOException {
    Path jar = file(tmp.resolve("opt/msb-metrics-1.0/lib/msb-metrics.jar"), false);
    Path launcher = file(tmp.resolve("opt/msb-metrics-1.0/bin/msb-metrics"), true);
    assertThat(LauncherCommand.of(Optional.of(jar), Map.of())).isEqualTo(launcher.toString());
  }

  @Test
  void aLauncherLinkedOntoThePathIsJustItsName() throws IOException {
    Path jar = file(tmp.resolve("repo/cli/target/msb-metrics.jar"), false);
    Path launcher = file(tmp.resolve("repo/bin/msb-metrics"), true);
    Path bin = Files.createDirectories(tmp.resolve("home/.local/bin"));
    Files.createSymbolicLink(bin.resolve("msb-metrics"), launcher);
    assertThat(LauncherCommand.of(Optional.of(jar), Map.of("PATH", "/nowhere:" + bin)))
        .isEqualTo("msb-metrics");
  }

  /** The shell runs the first msb-metrics on the PATH: another one there is not ours. */
  @Test
  void anotherMsbMetricsEarlierOnThePathKeepsTheAbsolutePath() throws IOException {
    Path jar = file(tmp.resolve("repo/cli/target/msb-metrics.jar"), false);
    Path launcher = file(tmp.resolve("repo/bin/msb-metrics"), true);
    Path other = file(tmp.resolve("other/bin/msb-metrics"), true);
    Path bin = Files.createDirectories(tmp.resolve("home/.local/bin"));
    Files.createSymbolicLink(bin.resolve("msb-metrics"), launcher);
    assertThat(
            LauncherCommand.of(
                Optional.of(jar), Map.of("PATH", other.getParent() + ":" + bin.toString())))
        .isEqualTo(launcher.toString());
  }

  @Test
  void withoutALauncherItIsJavaDashJarWithTheJarsAbsolutePath() throws IOException {
    Path jar = file(tmp.resolve("some where/msb-metrics.jar"), false);
    assertThat(LauncherCommand.of(Optional.of(jar), Map.of())).isEqualTo("java -jar '" + jar + "'");
  }

  @Test
  void aLauncherThatIsNotExecutableIsNotOffered() throws IOException {
    Path jar = file(tmp.resolve("repo/cli/target/msb-metrics.jar"), false);
    file(tmp.resolve("repo/bin/msb-metrics"), false);
    assertThat(LauncherCommand.of(Optional.of(jar), Map.of())).startsWith("java -jar ");
  }

  @Test
  void quotingKeepsOneShellWord() {
    assertThat(LauncherCommand.quote("/tmp/msb-demo-1/home")).isEqualTo("/tmp/msb-demo-1/home");
    assertThat(LauncherCommand.quote("/a b/it's")).isEqualTo("'/a b/it'\\''s'");
  }
}
