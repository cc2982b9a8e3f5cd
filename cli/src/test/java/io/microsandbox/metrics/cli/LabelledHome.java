package io.microsandbox.metrics.cli;

import io.microsandbox.metrics.registry.RegistryName;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.testing.TempShm;
import io.microsandbox.metrics.registry.writer.RegistryWriter;
import io.microsandbox.metrics.registry.writer.SlotHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A microsandbox home for catalog tests: a real shared-memory registry with three active sandboxes
 * (each booted with 512 MiB) and, on request, a real SQLite catalog describing two of them.
 *
 * <pre>
 *   id 40 "web"       labels user.id=alice tier=web secret=s sandbox.name=impostor
 *                     resized: config 1 vCPU / 512 MiB, active_config 2 vCPUs / 1024 MiB
 *   id 41 "db"        labels tier=db, no resources
 *   id 42 "unlisted"  no catalog row
 * </pre>
 */
final class LabelledHome implements AutoCloseable {
  static final int WEB = 40;
  static final int DB = 41;
  static final int UNLISTED = 42;

  private final Path home;
  private final RegistryWriter writer;

  /** Writes the registry of {@code home}; {@code shm} removes it after the test. */
  LabelledHome(TempShm shm, Path home) {
    this.home = home;
    this.writer = RegistryWriter.create(shm.track(RegistryName.forHome(home.toString())), 4);
    int pid = (int) ProcessHandle.current().pid(); // alive, so the sandboxes read as active
    long now = System.currentTimeMillis();
    int[] ids = {WEB, DB, UNLISTED};
    String[] names = {"web", "db", "unlisted"};
    for (int i = 0; i < ids.length; i++) {
      SlotHandle slot = writer.reserve(ids[i], names[i], 512L << 20);
      slot.activate(900 + i, pid, now - 60_000);
      slot.writeSample(
          SandboxSnapshot.builder()
              .sampledAtMs(now)
              .sampleFlags(SandboxSnapshot.FLAG_CPU | SandboxSnapshot.FLAG_MEMORY)
              .build());
    }
  }

  /** The home directory. */
  Path home() {
    return home;
  }

  /** The catalog file's path, {@code home/db/msb.db} (its directory is created). */
  Path catalogFile() throws Exception {
    return Files.createDirectories(home.resolve("db")).resolve("msb.db");
  }

  /** Writes the catalog with microsandbox's schema and the rows above. */
  void writeCatalog() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + catalogFile())) {
      try (Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE sandbox (id INTEGER PRIMARY KEY, name TEXT UNIQUE, config TEXT,"
                + " active_config TEXT NULL, status TEXT, ephemeral BOOL, created_at,"
                + " updated_at)");
      }
      String webLabels =
          "\"labels\":{\"user.id\":\"alice\",\"tier\":\"web\",\"secret\":\"s\","
              + "\"sandbox.name\":\"impostor\"}";
      insert(
          c,
          WEB,
          "web",
          "{\"image\":{\"Oci\":{\"reference\":\"nginx\"}},"
              + "\"resources\":{\"cpus\":1,\"memory_mib\":512},"
              + webLabels
              + "}",
          "{\"image\":{\"Oci\":{\"reference\":\"nginx\"}},"
              + "\"resources\":{\"cpus\":2,\"memory_mib\":1024},"
              + webLabels
              + "}");
      insert(c, DB, "db", "{\"labels\":{\"tier\":\"db\"}}", null);
    }
  }

  private static void insert(Connection c, int id, String name, String config, String activeConfig)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO sandbox (id, name, config, active_config) VALUES (?, ?, ?, ?)")) {
      insert.setInt(1, id);
      insert.setString(2, name);
      insert.setString(3, config);
      insert.setString(4, activeConfig);
      insert.executeUpdate();
    }
  }

  /** Unmaps the registry (the TempShm extension unlinks it). */
  @Override
  public void close() {
    writer.close();
  }
}
