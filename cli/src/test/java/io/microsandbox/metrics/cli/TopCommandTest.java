package io.microsandbox.metrics.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.microsandbox.metrics.registry.RegistryName;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.TimeSource;
import io.microsandbox.metrics.registry.testing.ShmFiles;
import io.microsandbox.metrics.registry.testing.TempShm;
import io.microsandbox.metrics.registry.writer.RegistryWriter;
import io.microsandbox.metrics.registry.writer.SlotHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code msb-metrics top} in-process against a real registry written by the test writer. Time is
 * fixed: the runtimes' "next sample" is written when the command pauses between its samples.
 */
@Timeout(30)
class TopCommandTest {
  private static final long T0 = 1_700_000_000_000L; // 22:13:20 UTC
  private static final int PID = (int) ProcessHandle.current().pid(); // alive: slots read active

  @RegisterExtension final TempShm shm = new TempShm();
  @TempDir Path tempDir;

  private RegistryWriter writer;
  private final List<Runnable> onPause = new ArrayList<>();
  private final List<Duration> pauses = new ArrayList<>();

  @AfterEach
  void closeWriter() {
    if (writer != null) {
      writer.close();
    }
  }

  private CliRun run(Map<String, String> env, CompletableFuture<String> stop, String... args) {
    TimeSource fixed =
        new TimeSource() {
          @Override
          public long nanoTime() {
            return 0;
          }

          @Override
          public long currentTimeMillis() {
            return T0 + 1000;
          }
        };
    return CliRun.run(
        created -> {
          if (created instanceof TopCommand) {
            TopCommand top = (TopCommand) created;
            top.env = env;
            top.time = fixed;
            top.zone = ZoneOffset.UTC;
            top.terminal = false;
            top.stop = stop;
            top.pause =
                d -> {
                  pauses.add(d);
                  if (!onPause.isEmpty()) {
                    onPause.remove(0).run();
                  }
                };
          }
        },
        args);
  }

  private CliRun run(String... args) {
    return run(Map.of("COLUMNS", "200"), null, args);
  }

  /** A home whose registry holds web (2 samples 1 s apart, 4 KiB/s read) and db (1 sample). */
  private String homeWithTwoSandboxes() {
    String home = tempDir.resolve("home").toString();
    writer = RegistryWriter.create(shm.track(RegistryName.forHome(home)), 8);
    SlotHandle web = writer.reserve(1, "web", 512L << 20);
    web.activate(11, PID, T0 - 125_000);
    web.writeSample(sample(T0, 40f, 0));
    SlotHandle db = writer.reserve(2, "db", 1L << 30);
    db.activate(12, PID, T0 - 5_000);
    db.writeSample(sample(T0, 150f, 0));
    onPause.add(() -> web.writeSample(sample(T0 + 1000, 40f, 4096)));
    onPause.add(() -> db.writeSample(sample(T0 + 1000, 150f, 1 << 20)));
    return home;
  }

  private static SandboxSnapshot sample(long at, float cpu, long diskRead) {
    return SandboxSnapshot.builder()
        .sampledAtMs(at)
        .sampleFlags(SandboxSnapshot.FLAG_CPU | SandboxSnapshot.FLAG_MEMORY)
        .cpuPercent(cpu)
        .raw(SampleField.MEMORY_BYTES, 100L << 20)
        .raw(SampleField.DISK_READ_BYTES, diskRead)
        .build();
  }

  @Test
  void onceSamplesUntilEveryRunningSandboxHasARateThenPrintsOneTable() {
    String home = homeWithTwoSandboxes();
    CliRun r = run("top", "--once", "--msb-home", home);
    assertThat(r.err).isEmpty();
    assertThat(r.exit).isZero();
    // the first window saw only web's new sample, the second db's too
    assertThat(pauses).containsExactly(Duration.ofMillis(500), Duration.ofMillis(500));
    String registry = RegistryName.forHome(home);
    assertThat(r.out)
        .isEqualTo(
            "22:13:21  sandboxes 2  cpu 1.90  mem 200M / 1.5G  registry "
                + registry
                + "\n\n"
                + "NAME  STATE    CPU   MEM          DISK R/W /s  NET RX/TX /s  UPTIME\n"
                + "db    running  1.50  100M / 1.0G  1.0M / 0B    0B / 0B       6s\n"
                + "web   running  0.40  100M / 512M  4.0K / 0B    0B / 0B       2m06s\n");
  }

  @Test
  void onceGivesUpWaitingForRatesAfterFourWindows() {
    String home = homeWithTwoSandboxes();
    onPause.clear(); // the runtimes never sample again
    CliRun r = run("top", "--once", "--msb-home", home, "--sort", "name");
    assertThat(r.exit).isZero();
    assertThat(pauses).hasSize(4);
    assertThat(r.out).contains("db    running  1.50  100M / 1.0G  -            -");
  }

  @Test
  void onceAsJsonIsOneObjectPerSandboxWithRates() throws Exception {
    String home = homeWithTwoSandboxes();
    CliRun r = run("top", "--once", "--format", "json", "--sort", "name", "--msb-home", home);
    assertThat(r.exit).isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : r.out.split("\n")) {
      lines.add(new ObjectMapper().readTree(line));
    }
    assertThat(lines).extracting(n -> n.get("name").asText()).containsExactly("db", "web");
    JsonNode web = lines.get(1);
    assertThat(web.get("state").asText()).isEqualTo("running");
    assertThat(web.get("disk_read_bytes_per_s").asDouble()).isEqualTo(4096.0);
    assertThat(web.get("cpus").isNull()).isTrue();
    assertThat(web.get("run_id").asInt()).isEqualTo(11);
    assertThat(web.get("ts_ms").asLong()).isEqualTo(T0 + 1000);
  }

  @Test
  void theFilterMatchesNamesAndExitedSandboxesNeedAll() {
    String home = homeWithTwoSandboxes();
    writer.reserve(3, "old-job", 1L << 30).activate(13, PID, T0 - 60_000);
    SlotHandle old = writer.reserve(4, "web-old", 1L << 30);
    old.activate(14, PID, T0 - 60_000);
    old.writeSample(sample(T0 - 30_000, 0f, 77));
    old.release(true);
    CliRun live = run("top", "--once", "--filter", "WEB", "--msb-home", home);
    assertThat(live.out).contains("\nweb ").doesNotContain("db ").doesNotContain("web-old");
    assertThat(live.out).contains("1 hidden by --filter");
    onPause.clear();
    CliRun all = run("top", "--once", "--all", "--filter", "web", "--msb-home", home);
    assertThat(all.out).contains("web-old  exited").contains("77B / 0B total").contains("ran 30s");
  }

  /** The catalog of {@code home}: web 2 vCPUs / 2 GiB labelled team=payments, db 4 / 4 GiB. */
  private static void writeCatalog(String home) throws Exception {
    Path db = Files.createDirectories(Path.of(home, "db")).resolve("msb.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE sandbox (id INTEGER PRIMARY KEY, name TEXT UNIQUE, config TEXT,"
              + " active_config TEXT NULL, status TEXT, ephemeral BOOL, created_at, updated_at)");
      st.execute(
          "INSERT INTO sandbox (id, name, config) VALUES (1, 'web', '{\"resources\":{\"cpus\":2,"
              + "\"memory_mib\":2048},\"labels\":{\"team\":\"payments\"}}')");
      // resized live: active_config wins over config
      st.execute(
          "INSERT INTO sandbox (id, name, config, active_config) VALUES (2, 'db',"
              + " '{\"resources\":{\"cpus\":1,\"memory_mib\":512}}',"
              + " '{\"resources\":{\"cpus\":4,\"memory_mib\":4096}}')");
    }
  }

  @Test
  void theCatalogGivesTheAllocationColumnsAndTheLabelsTheFilterMatches() throws Exception {
    String home = homeWithTwoSandboxes();
    writeCatalog(home);
    CliRun r = run("top", "--once", "--sort", "name", "--msb-home", home);
    assertThat(r.exit).as(r.err).isZero();
    assertThat(r.out)
        .startsWith("22:13:21  sandboxes 2  cpu 1.90 / 6c  mem 200M / 6.0G  registry ")
        .contains("db    running  1.50 / 4c  100M / 4.0G")
        .contains("web   running  0.40 / 2c  100M / 2.0G");
    onPause.clear();
    CliRun filtered = run("top", "--once", "--filter", "PAYMENTS", "--msb-home", home);
    assertThat(filtered.out).contains("\nweb ").doesNotContain("\ndb ");
    CliRun noCatalog = run("top", "--once", "--no-catalog", "--msb-home", home);
    assertThat(noCatalog.out)
        .contains("cpu 1.90  mem 200M / 1.5G")
        .contains("web   running  0.40  100M / 512M");
  }

  @Test
  void aCatalogThatCannotBeReadOnlyCostsTheAllocationColumns() throws Exception {
    String home = homeWithTwoSandboxes();
    Path db = Files.createDirectories(Path.of(home, "db")).resolve("msb.db");
    Files.write(db, "this is not a SQLite database, not even close".getBytes(UTF_8));
    CliRun r = run("top", "--once", "--sort", "name", "--msb-home", home);
    assertThat(r.exit).isZero();
    assertThat(r.out)
        .contains("db    running  1.50  100M / 1.0G  1.0M / 0B")
        .contains("web   running  0.40  100M / 512M  4.0K / 0B");
  }

  /** --once has nothing to wait for: one line naming the home and its source, exit 1. */
  @Test
  void onceWithAMissingRegistryNamesTheHomeAndItsSourceAndExitsOne() {
    String home = tempDir.resolve("nothing-here").toString();
    CliRun r = run("top", "--once", "--msb-home", home);
    assertThat(r.exit).isEqualTo(1);
    assertThat(r.out).isEmpty();
    assertThat(r.err.lines())
        .singleElement()
        .asString()
        .startsWith("msb-metrics top: registry " + RegistryName.forHome(home))
        .contains("does not exist yet", "microsandbox home " + home + " (from --msb-home)")
        .doesNotContain("waiting");
    assertThat(pauses).as("nothing to wait for").isEmpty();

    CliRun fromEnv = run(Map.of("MSB_HOME", home), null, "top", "--once");
    assertThat(fromEnv.exit).isEqualTo(1);
    assertThat(fromEnv.err).contains("microsandbox home " + home + " (from MSB_HOME)");
    CliRun byDefault = run(Map.of("HOME", home), null, "top", "--once");
    assertThat(byDefault.err)
        .contains("microsandbox home " + home + "/.microsandbox (from the default, $HOME");
  }

  @Test
  void aCorruptRegistryShowsTheReadersLineAndOnceExitsOne() {
    String home = tempDir.resolve("corrupt").toString();
    String name = shm.track(RegistryName.forHome(home));
    writer = RegistryWriter.create(name, 2);
    ShmFiles.pokeLong(name, 0, 0x4242424242424242L); // the magic
    CliRun r = run("top", "--once", "--msb-home", home);
    assertThat(r.exit).isEqualTo(1);
    assertThat(r.out.lines().skip(1).findFirst().orElseThrow())
        .contains(name)
        .contains("bad magic");
  }

  @Test
  void streamingJsonPrintsATickThenStopsCleanlyOnTheSignal() {
    String home = homeWithTwoSandboxes();
    CompletableFuture<String> stop = new CompletableFuture<>();
    stop.complete("SIGINT");
    CliRun r = run(Map.of(), stop, "top", "--format", "json", "--msb-home", home);
    assertThat(r.exit).isZero();
    assertThat(r.out.lines()).hasSize(2);
    assertThat(r.out).contains("\"disk_read_bytes_per_s\":null");
  }

  @Test
  void streamingTextToAPipeIsPlainTablesAndAProblemGoesToStderrOnceAsJson() {
    String home = tempDir.resolve("later").toString();
    CompletableFuture<String> stop = new CompletableFuture<>();
    stop.complete("SIGTERM");
    Map<String, String> env = new HashMap<>();
    CliRun text = run(env, stop, "top", "--msb-home", home);
    assertThat(text.exit).isZero();
    assertThat(text.out)
        .doesNotContain("\033")
        .contains("does not exist yet", "(from --msb-home)", "waiting for it");
    CliRun json = run(env, stop, "top", "--format", "json", "--msb-home", home);
    assertThat(json.out).isEmpty();
    assertThat(json.err.lines()).hasSize(1);
    assertThat(json.err).startsWith("msb-metrics top: registry ").contains("does not exist yet");
  }

  @Test
  void aClosedPipeEndsTheStreamWithExitOne() throws Exception {
    String home = homeWithTwoSandboxes();
    try (CliProcess top =
        CliProcess.start(
            Map.of(),
            ProcessBuilder.Redirect.PIPE,
            List.of("top", "--format", "json", "--interval", "100ms", "--msb-home", home))) {
      java.io.InputStream out = top.process.getInputStream();
      int first = out.read(); // the first tick arrived: then the reader goes away (| head -1)
      assertThat(first).as(top.stderr()).isEqualTo('{');
      out.close();
      assertThat(top.waitFor(20)).as(top.stderr()).isEqualTo(1);
    }
  }

  @Test
  void anIntervalBelow100msIsAUsageErrorNamingTheFlag() {
    CliRun r = run("top", "--interval", "50ms");
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err.lines()).hasSize(1);
    assertThat(r.err).contains("--interval").contains("100ms");
    assertThat(run("top", "--sort", "speed").err).contains("--sort");
  }
}
