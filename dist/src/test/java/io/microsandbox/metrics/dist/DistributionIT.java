package io.microsandbox.metrics.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.microsandbox.metrics.registry.RegistryName;
import io.microsandbox.metrics.registry.testing.GoldenImages;
import io.microsandbox.metrics.registry.testing.TempShm;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The self-contained tarball as a user gets it: unpacked anywhere and run through its launcher on a
 * machine where neither {@code PATH} nor {@code JAVA_HOME} holds a Java, so that it can only run on
 * its own runtime.
 */
@Timeout(120)
class DistributionIT {
  /** Tools the launcher calls; the only commands on the test's PATH. */
  private static final List<String> TOOLS =
      List.of("bash", "dirname", "readlink", "cksum", "cut", "stat", "mkdir", "rm", "mv");

  @TempDir static Path unpacked;
  private static Path root;

  @RegisterExtension final TempShm shm = new TempShm();
  @TempDir Path tmp;

  private record Result(int exit, String output) {}

  @BeforeAll
  static void unpack() throws Exception {
    Path tarball = Path.of(System.getProperty("dist.tarball"));
    assertThat(tarball).isRegularFile();
    Process tar =
        new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", unpacked.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(tar.exitValue()).as(out).isZero();
    root = unpacked.resolve("msb-metrics-" + System.getProperty("dist.version"));
  }

  /** Runs bin/msb-metrics with a PATH of the launcher's tools only and a JAVA_HOME with no Java. */
  private Result run(String... args) throws IOException, InterruptedException {
    Path bin = Files.createDirectories(tmp.resolve("path"));
    for (String tool : TOOLS) {
      Path link = bin.resolve(tool);
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, which(tool));
      }
    }
    Path noJava = Files.createDirectories(tmp.resolve("no-java"));
    List<String> command = new ArrayList<>(List.of(root.resolve("bin/msb-metrics").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("MSB_METRICS_"));
    env.put("PATH", bin.toString());
    env.put("JAVA_HOME", noJava.toString());
    env.put("MSB_METRICS_CDS_DIR", tmp.resolve("cds").toString());
    Path log = tmp.resolve("out.log");
    Process p =
        pb.redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("bin/msb-metrics did not finish within 60 s");
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** Removes the PATH's links first: JUnit warns about links out of a temporary directory. */
  @AfterEach
  void removeToolLinks() throws IOException {
    for (String tool : TOOLS) {
      Files.deleteIfExists(tmp.resolve("path").resolve(tool));
    }
  }

  private static Path which(String tool) {
    for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
      Path candidate = Path.of(dir, tool);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(tool + " not found in /usr/bin or /bin");
  }

  @Test
  void holdsTheLauncherTheJarATrimmedRuntimeWithItsClassDataArchiveAndTheSystemdUnit()
      throws Exception {
    assertThat(root.resolve("bin/msb-metrics")).isExecutable();
    assertThat(root.resolve("lib/msb-metrics.jar")).isRegularFile();
    assertThat(root.resolve("runtime/bin/java")).isExecutable();
    assertThat(root.resolve("runtime/lib/server/classes.jsa")).isRegularFile();
    assertThat(root.resolve("systemd/msb-metrics.service")).isRegularFile();
    assertThat(root.resolve("systemd/msb-metrics.env")).isRegularFile();

    Process modules =
        new ProcessBuilder(root.resolve("runtime/bin/java").toString(), "--list-modules")
            .redirectErrorStream(true)
            .start();
    String list = new String(modules.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(modules.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(list).contains("java.base@", "java.net.http@", "java.sql@", "jdk.crypto.ec@");
    assertThat(list).as("trimmed").doesNotContain("java.desktop@", "jdk.compiler@");
  }

  /**
   * What a user reads first, the licence and the man page sit at the root of what they unpacked.
   */
  @Test
  void holdsTheReadmeTheLicenceTheManPageAndTheDocs() throws IOException {
    assertThat(root.resolve("README.md")).content().contains("# msb-metrics for the JVM");
    assertThat(root.resolve("LICENSE")).content().contains("Apache License", "Version 2.0");
    assertThat(root.resolve("man/man1/msb-metrics.1"))
        .content()
        .startsWith(".\\\" Generated")
        .contains(".TH MSB-METRICS 1");
    assertThat(root.resolve("docs/operations.md")).isRegularFile();
    assertThat(root.resolve("docs/cli/msb-metrics-otel.adoc")).isRegularFile();
  }

  /** The tarball is for linux-x64: its jar carries that platform's native libraries only. */
  @Test
  void theJarCarriesLinuxX64sNativeLibrariesOnly() throws IOException {
    List<String> natives = new ArrayList<>();
    try (java.util.jar.JarFile jar =
        new java.util.jar.JarFile(root.resolve("lib/msb-metrics.jar").toFile())) {
      jar.stream()
          .map(java.util.zip.ZipEntry::getName)
          .filter(n -> n.matches(".*\\.(so|dylib|dll|jnilib|a)$"))
          .forEach(natives::add);
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isNotBlank();
    }
    assertThat(natives)
        .isNotEmpty()
        .allMatch(
            n ->
                n.startsWith("com/sun/jna/linux-x86-64/")
                    || n.startsWith("org/sqlite/native/Linux/x86_64/")
                    || n.startsWith("org/jline/nativ/Linux/x86_64/"),
            "linux-x64's");
  }

  @Test
  void runsVersionWithNoJavaOnThePathOrInJavaHome() throws Exception {
    for (String tool : List.of("java", "jlink")) {
      assertThat(tmp.resolve("path").resolve(tool)).doesNotExist();
    }
    Result r = run("--version");
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output().strip()).isEqualTo("msb-metrics " + System.getProperty("dist.version"));
  }

  @Test
  void runsSnapshotOnARegistryWithNoJavaOnThePathOrInJavaHome() throws Exception {
    String home = tmp.resolve("home").toString();
    GoldenImages.install("basic", shm.track(RegistryName.forHome(home)));

    Result r = run("snapshot", "--msb-home", home, "--format", "json", "--include-stale");

    assertThat(r.exit()).as(r.output()).isZero();
    JsonNode actual = GoldenImages.JSON.readTree(r.output());
    JsonNode golden = GoldenImages.expected("basic");
    assertThat(names(actual.get("sandboxes")))
        .containsExactlyElementsOf(names(golden.get("snapshot")));
    assertThat(actual.get("registry").asText()).isEqualTo(RegistryName.forHome(home));
  }

  private static List<String> names(JsonNode sandboxes) {
    return StreamSupport.stream(sandboxes.spliterator(), false)
        .map(s -> s.get("name").asText())
        .collect(Collectors.toList());
  }
}
