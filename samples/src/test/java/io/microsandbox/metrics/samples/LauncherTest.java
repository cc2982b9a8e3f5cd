package io.microsandbox.metrics.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/msb-metrics}, the launcher the systemd unit runs: it starts the bundled jar with the
 * JVM from {@code JAVA_HOME}, its sidecar options first and {@code MSB_METRICS_JAVA_OPTS} after
 * them, and fails with a one-line message when the jar or Java is missing.
 *
 * <p>The bundled jar is built by the {@code cli} module's package phase, which a full {@code mvn
 * verify} runs before this module's tests; when only this module is built, the tests that need the
 * jar are skipped.
 */
@Timeout(60)
class LauncherTest {
  private static final Path REPOSITORY =
      Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
  private static final Path LAUNCHER = REPOSITORY.resolve("bin/msb-metrics");
  private static final Path JAR = REPOSITORY.resolve("cli/target/msb-metrics.jar");

  private record Result(int exit, String output) {}

  private static Result launch(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    String[] command = new String[args.length + 1];
    command[0] = LAUNCHER.toString();
    System.arraycopy(args, 0, command, 1, args.length);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("MSB_METRICS_JAVA_OPTS");
    pb.environment().remove("MSB_METRICS_JAR");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().putAll(env);
    Path log = Files.createTempFile("launcher-", ".log");
    try {
      Process p =
          pb.redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      if (!p.waitFor(45, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("the launcher did not finish within 45 s");
      }
      return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  @Test
  void runsTheBundledJarWithTheSidecarOptionsAndTheUsersLast() throws Exception {
    assumeTrue(Files.isRegularFile(JAR), "cli/target/msb-metrics.jar not built in this run");

    Result defaults =
        launch(Map.of("MSB_METRICS_JAVA_OPTS", "-XX:+PrintCommandLineFlags"), "--version");
    assertThat(defaults.exit()).as(defaults.output()).isZero();
    assertThat(defaults.output())
        .contains("msb-metrics ")
        .contains("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:MaxHeapSize=100663296");

    Result overridden =
        launch(Map.of("MSB_METRICS_JAVA_OPTS", "-Xmx77m -XX:+PrintCommandLineFlags"), "--version");
    assertThat(overridden.exit()).as(overridden.output()).isZero();
    assertThat(overridden.output()).contains("-XX:MaxHeapSize=" + (77L << 20));
  }

  /**
   * Issue 21 point 16: the JVM's own messages, the out-of-memory one among them ({@code Terminating
   * due to java.lang.OutOfMemoryError}, printed by the VM's output stream like {@code
   * PrintFlagsFinal}), go to stderr and never into the command's output.
   */
  @Test
  void theVmsOwnOutputGoesToStderrNeverIntoTheCommandsOutput() throws Exception {
    assumeTrue(Files.isRegularFile(JAR), "cli/target/msb-metrics.jar not built in this run");
    ProcessBuilder pb =
        new ProcessBuilder(LAUNCHER.toString(), "--version")
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().remove("MSB_METRICS_JAR");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("MSB_METRICS_JAVA_OPTS", "-XX:+PrintFlagsFinal");
    Path out = Files.createTempFile("launcher-out-", ".log");
    Path err = Files.createTempFile("launcher-err-", ".log");
    try {
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      assertThat(p.waitFor(45, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
      assertThat(Files.readString(out).strip()).startsWith("msb-metrics ").hasLineCount(1);
      assertThat(Files.readString(err)).contains("[Global flags]");
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /**
   * Runs {@code stdout} on an empty home through the launcher until its first line, then stops it
   * with SIGTERM, as systemd stops a service.
   *
   * @return the launcher's exit code
   */
  private static Result runStdoutUntilFirstLine(Map<String, String> env, Path home)
      throws IOException, InterruptedException {
    // the first line comes with the first flush: one flush interval after the start, which is 10 s
    // by default; 1 s keeps the wait short (the archive is keyed on the java and jar, not the
    // arguments)
    // an empty home that exists: a missing one is a WARN line at start (before the first output)
    Files.createDirectories(home);
    ProcessBuilder pb =
        new ProcessBuilder(
            LAUNCHER.toString(), "stdout", "--msb-home", home.toString(), "--flush-interval", "1s");
    pb.environment().remove("MSB_METRICS_JAVA_OPTS");
    pb.environment().remove("MSB_METRICS_JAR");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().putAll(env);
    Process p = pb.redirectErrorStream(true).start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      assertThat(first).contains("(no active sandboxes)");
      // SIGTERM to the launcher; through the handle, which (unlike Process.destroy) leaves the
      // pipes open: the final export still prints to stdout
      p.toHandle().destroy();
      StringBuilder all = new StringBuilder(first).append('\n');
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        all.append(line).append('\n'); // up to the end of the output: the process has exited
      }
      assertThat(p.waitFor(40, TimeUnit.SECONDS)).as("stopped within 40 s").isTrue();
      return new Result(p.exitValue(), all.toString());
    } finally {
      p.destroyForcibly();
    }
  }

  private static List<String> filesIn(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).collect(Collectors.toList());
    }
  }

  @Test
  void theFirstLongRunningCommandMakesTheClassDataArchiveThatLaterStartsMap(@TempDir Path tmp)
      throws Exception {
    assumeTrue(Files.isRegularFile(JAR), "cli/target/msb-metrics.jar not built in this run");
    Path cds = tmp.resolve("cds");
    Path classLog = tmp.resolve("classes.log");
    Map<String, String> env =
        Map.of(
            "MSB_METRICS_CDS_DIR",
            cds.toString(),
            "MSB_METRICS_JAVA_OPTS",
            "-Xlog:class+load=info:file=" + classLog);

    Result usageError = launch(env, "stdout", "--collect-interval", "soon");
    assertThat(usageError.exit()).as(usageError.output()).isEqualTo(2);
    assertThat(filesIn(cds)).as("a run that failed makes no archive").isEmpty();

    // the JVM writes the archive as it exits; the launcher passes on the JVM's exit code
    Result first = runStdoutUntilFirstLine(env, tmp.resolve("home"));
    assertThat(first.exit()).as(first.output()).isZero();
    assertThat(filesIn(cds)).singleElement().asString().matches("msb-metrics-\\d+-\\d+\\.jsa");

    Result second = launch(env, "--version");
    assertThat(second.exit()).as(second.output()).isZero();
    assertThat(Files.readString(classLog))
        .as("application classes mapped from the archive")
        .contains("io.microsandbox.metrics.cli.MsbMetrics source: shared objects file (top)");
  }

  @Test
  void withClassDataSharingOffNoArchiveIsMade(@TempDir Path tmp) throws Exception {
    assumeTrue(Files.isRegularFile(JAR), "cli/target/msb-metrics.jar not built in this run");
    Path cds = tmp.resolve("cds");
    Map<String, String> env =
        Map.of("MSB_METRICS_CDS", "off", "MSB_METRICS_CDS_DIR", cds.toString());

    Result r = runStdoutUntilFirstLine(env, tmp.resolve("home"));
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(filesIn(cds)).isEmpty();
  }

  @Test
  void theRegistryNameDoesNotDependOnTheLocale(@TempDir Path tmp) throws Exception {
    assumeTrue(Files.isRegularFile(JAR), "cli/target/msb-metrics.jar not built in this run");
    // MSB_HOME = "/srv/msb home/é" as raw UTF-8 bytes, under LC_ALL=C (ASCII only): the name is
    // the one microsandbox computes (the golden names.txt in registry-reader's test resources)
    Path out = tmp.resolve("out.json");
    ProcessBuilder pb =
        new ProcessBuilder(
                "bash",
                "-c",
                "export MSB_HOME=$(printf '%b' \"$1\"); exec \"$0\" snapshot --format json",
                LAUNCHER.toString(),
                "/srv/msb home/\\0303\\0251")
            .redirectOutput(out.toFile())
            .redirectErrorStream(false)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().remove("MSB_METRICS_JAVA_OPTS");
    pb.environment().remove("MSB_METRICS_JAR");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("LC_ALL", "C");
    pb.environment().put("LANG", "C");
    Process p = pb.start();
    assertThat(p.waitFor(45, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(Files.readString(out, StandardCharsets.UTF_8))
        .contains("\"registry\":\"/msb-met-3013a547f255b982-v3\"");
  }

  @Test
  void aMissingJarOrJavaIsAOneLineError(@TempDir Path tmp) throws Exception {
    Result noJar =
        launch(Map.of("MSB_METRICS_JAR", tmp.resolve("absent.jar").toString()), "--version");
    assertThat(noJar.exit()).isEqualTo(1);
    assertThat(noJar.output().strip())
        .startsWith("msb-metrics: cannot find msb-metrics.jar")
        .doesNotContain("\n");

    assumeTrue(Files.isRegularFile(JAR), "cli/target/msb-metrics.jar not built in this run");
    Result noJava = launch(Map.of("JAVA_HOME", tmp.toString()), "--version");
    assertThat(noJava.exit()).isEqualTo(1);
    assertThat(noJava.output().strip()).startsWith("msb-metrics: no Java found");
  }
}
