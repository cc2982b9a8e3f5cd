package io.microsandbox.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.registry.RegistryName;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.testing.TempShm;
import io.microsandbox.metrics.registry.writer.RegistryWriter;
import io.microsandbox.metrics.registry.writer.SlotHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text from outside (a sandbox name in the registry, label keys and values in the catalog) cannot
 * forge log or output lines: a real {@code msb-metrics stdout} process with the text log format
 * reads a registry and a catalog full of line breaks and control characters; every line it writes
 * is one of its own.
 */
@Timeout(60)
class LogInjectionTest {
  private static final String NAME = "evil\nFORGED ERROR from a sandbox name\u0085x";
  private static final String CONFIG =
      "{\"labels\":{\"team\\nFORGED\":\"a\\u2028b\\r\\u001b[31m\",\"bad\\nkey\":5}}";

  @RegisterExtension final TempShm shm = new TempShm();
  @TempDir Path home;

  @Test
  void controlCharactersFromOutsideAreEscapedInLogsAndTextLines() throws Exception {
    Path out = home.resolve("stdout.txt");
    try (RegistryWriter writer = writeRegistry()) {
      writeCatalog();
      try (CliProcess p =
          CliProcess.start(
              Map.of(),
              ProcessBuilder.Redirect.to(out.toFile()),
              List.of(
                  "--log-level",
                  "debug",
                  "stdout",
                  "--msb-home",
                  home.toString(),
                  "--collect-interval",
                  "100ms",
                  "--flush-interval",
                  "100ms"))) {
        p.awaitOutput(out, "FORGED");
        p.signal("TERM");
        assertThat(p.waitFor(30)).as(p.stderr()).isZero();

        String stderr = p.stderr();
        assertThat(stderr.lines())
            .as(stderr)
            .allSatisfy(l -> assertThat(l).matches("^\\d{4}-\\d\\d-\\d\\dT\\S+ [A-Z]+ .*"));
        assertThat(stderr)
            .contains("evil\\nFORGED ERROR from a sandbox name\\u0085x")
            .contains("bad\\nkey")
            .doesNotContain("\u0085");

        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(stdout.lines()).allSatisfy(l -> assertThat(l).matches("^\\d{4}-\\d\\d-.*"));
        assertThat(stdout)
            .contains("sandbox=\"evil\\nFORGED ERROR from a sandbox name\\u0085x\"")
            .contains("\"team\\nFORGED\"=\"a\\u2028b\\r\\u001b[31m\"")
            .doesNotContain("\u2028")
            .doesNotContain("\u001b")
            .doesNotContain("\r");
      }
    }
  }

  private RegistryWriter writeRegistry() {
    RegistryWriter writer =
        RegistryWriter.create(shm.track(RegistryName.forHome(home.toString())), 2);
    SlotHandle slot = writer.reserve(7, NAME, 512L << 20);
    long now = System.currentTimeMillis();
    slot.activate(1, (int) ProcessHandle.current().pid(), now - 60_000);
    slot.writeSample(SandboxSnapshot.builder().sampledAtMs(now).build());
    return writer;
  }

  private void writeCatalog() throws Exception {
    Path db = Files.createDirectories(home.resolve("db")).resolve("msb.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      try (Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE sandbox (id INTEGER PRIMARY KEY, name TEXT UNIQUE, config TEXT,"
                + " active_config TEXT NULL, status TEXT, ephemeral BOOL, created_at,"
                + " updated_at)");
      }
      try (PreparedStatement insert =
          c.prepareStatement("INSERT INTO sandbox (id, name, config) VALUES (?, ?, ?)")) {
        insert.setInt(1, 7);
        insert.setString(2, NAME);
        insert.setString(3, CONFIG);
        insert.executeUpdate();
      }
    }
  }
}
