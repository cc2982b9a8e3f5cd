package io.microsandbox.metrics.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real microsandbox-style SQLite catalog for tests: the {@code sandbox} table with the schema of
 * microsandbox's catalog, written through its own read-write connections (as microsandbox would).
 */
public final class TestCatalog {
  /** The {@code sandbox} table as microsandbox's catalog has it. */
  public static final String SCHEMA =
      "CREATE TABLE sandbox (id INTEGER PRIMARY KEY, name TEXT UNIQUE, config TEXT,"
          + " active_config TEXT NULL, status TEXT, ephemeral BOOL, created_at, updated_at)";

  private final Path file;

  private TestCatalog(Path file) {
    this.file = file;
  }

  /** Creates {@code msbHome/db/msb.db} with the sandbox table. */
  public static TestCatalog createIn(Path msbHome) {
    TestCatalog catalog = at(msbHome.resolve(CatalogMetadataSource.CATALOG_PATH_IN_MSB_HOME));
    catalog.execute(SCHEMA);
    return catalog;
  }

  /** A catalog at {@code file} whose schema the test makes itself (or not at all). */
  public static TestCatalog at(Path file) {
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new TestCatalog(file);
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  /** A sandbox config JSON with these labels (and a few unrelated fields, as in real configs). */
  public static String config(Map<String, String> labels) {
    return config(labels, "alpine:3.20");
  }

  /** A sandbox config JSON with these labels and this image, 1 vCPU and 512 MiB. */
  public static String config(Map<String, String> labels, String image) {
    return config(labels, image, RESOURCES_1_CPU_512_MIB, RUNTIME_DEFAULT);
  }

  /** 1 vCPU, 512 MiB, ceilings at the same (microsandbox's defaults). */
  public static final String RESOURCES_1_CPU_512_MIB =
      "{\"cpus\":1,\"memory_mib\":512,\"max_cpus\":1,\"max_memory_mib\":512,"
          + "\"cpu_placement\":\"inherit\"}";

  /** The runtime section microsandbox writes by default: sampling every second. */
  public static final String RUNTIME_DEFAULT =
      "{\"workdir\":null,\"shell\":null,\"scripts\":{},\"log_level\":null,"
          + "\"metrics_sample_interval_ms\":1000,\"disable_metrics_sample\":false}";

  /**
   * A sandbox config JSON in microsandbox's shape: its fields at the top level, {@code resources}
   * and {@code runtime} as nested objects next to {@code labels}.
   *
   * @param labels the labels
   * @param image the image reference
   * @param resourcesJson the {@code resources} value as JSON text, or {@code null} to leave it out
   * @param runtimeJson the {@code runtime} value as JSON text, or {@code null} to leave it out
   */
  public static String config(
      Map<String, String> labels, String image, String resourcesJson, String runtimeJson) {
    String labelJson =
        labels.entrySet().stream()
            .map(e -> quote(e.getKey()) + ":" + quote(e.getValue()))
            .collect(Collectors.joining(",", "{", "}"));
    return "{\"name\":\"sb\",\"image\":{\"Oci\":{\"reference\":"
        + quote(image)
        + "}}"
        + (resourcesJson == null ? "" : ",\"resources\":" + resourcesJson)
        + (runtimeJson == null ? "" : ",\"runtime\":" + runtimeJson)
        + ",\"env\":[{\"key\":\"A\",\"value\":\"1\"}],\"labels\":"
        + labelJson
        + ",\"mounts\":[],\"network\":{\"enabled\":true}}";
  }

  /** A {@code resources} object with these numbers, as JSON text. */
  public static String resources(int cpus, int memoryMib, int maxCpus, int maxMemoryMib) {
    return "{\"cpus\":"
        + cpus
        + ",\"memory_mib\":"
        + memoryMib
        + ",\"max_cpus\":"
        + maxCpus
        + ",\"max_memory_mib\":"
        + maxMemoryMib
        + "}";
  }

  /** Inserts or replaces a sandbox row. */
  public TestCatalog put(int id, String name, String config, String activeConfig) {
    update(
        "INSERT OR REPLACE INTO sandbox (id, name, config, active_config, status, ephemeral,"
            + " created_at, updated_at) VALUES (?, ?, ?, ?, 'running', 0, 0, 0)",
        id,
        name,
        config,
        activeConfig);
    return this;
  }

  /** Inserts or replaces a sandbox row with these labels in {@code config}. */
  public TestCatalog put(int id, String name, Map<String, String> labels) {
    return put(id, name, config(labels), null);
  }

  /** Sets a sandbox's {@code config} column. */
  public TestCatalog setConfig(int id, String config) {
    update("UPDATE sandbox SET config = ? WHERE id = ?", config, id);
    return this;
  }

  /** Sets a sandbox's {@code active_config} column. */
  public TestCatalog setActiveConfig(int id, String activeConfig) {
    update("UPDATE sandbox SET active_config = ? WHERE id = ?", activeConfig, id);
    return this;
  }

  /** Runs one SQL statement on a fresh read-write connection. */
  public void execute(String sql) {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** Opens a read-write connection (the caller closes it). */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + file);
  }

  /**
   * Holds {@code BEGIN EXCLUSIVE} on a connection of its own, like microsandbox in the middle of a
   * write, until the returned lock is committed.
   */
  public Lock lockExclusively() {
    try {
      Connection c = connect();
      try (Statement s = c.createStatement()) {
        s.execute("BEGIN EXCLUSIVE");
      }
      return new Lock(c);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void update(String sql, Object... args) {
    try (Connection c = connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /** An exclusive write transaction held open; closing it commits. */
  public static final class Lock implements AutoCloseable {
    private final Connection connection;

    private Lock(Connection connection) {
      this.connection = connection;
    }

    /** Runs a statement inside the held transaction. */
    public Lock execute(String sql) {
      try (Statement s = connection.createStatement()) {
        s.execute(sql);
        return this;
      } catch (SQLException e) {
        throw new IllegalStateException(sql, e);
      }
    }

    /** Commits the transaction and closes its connection. */
    @Override
    public void close() {
      try (Connection c = connection;
          Statement s = c.createStatement()) {
        s.execute("COMMIT");
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
