package io.microsandbox.metrics.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * Writes the part of microsandbox's SQLite catalog ({@code $MSB_HOME/db/msb.db}) the collector
 * reads: one {@code sandbox} row per simulated sandbox whose config, in microsandbox's shape, holds
 * its labels and its allocation, so the demo shows catalog labels, {@code microsandbox.cpu.limit}
 * and the catalog's memory limit on its metrics too.
 *
 * <pre>
 * {"name": "web", "image": {"Oci": {"reference": "..."}},
 *  "resources": {"cpus": 2, "memory_mib": 1024, "max_cpus": 2, "max_memory_mib": 2048},
 *  "runtime": {"metrics_sample_interval_ms": 1000, "disable_metrics_sample": false},
 *  "labels": {"app": "web", "env": "demo"}}
 * </pre>
 *
 * <p>A running sandbox's {@code active_config} is the config it runs with; {@link #resized} records
 * a live resize the way microsandbox does, in both columns.
 */
final class DemoCatalog {
  private static final JsonFactory JSON = new JsonFactory();

  private DemoCatalog() {}

  static void write(Path msbHome, List<SimulatedSandbox> sandboxes) throws IOException {
    Path db = catalogFile(msbHome);
    Files.createDirectories(db.getParent());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.executeUpdate(
            "CREATE TABLE sandbox (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, config TEXT"
                + " NOT NULL, active_config TEXT NULL, status TEXT NOT NULL, ephemeral BOOL NOT"
                + " NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)");
      }
      try (PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO sandbox (id, name, config, active_config, status, created_at,"
                  + " updated_at) VALUES (?, ?, ?, ?, 'running', datetime('now'),"
                  + " datetime('now'))")) {
        for (SimulatedSandbox sb : sandboxes) {
          String config = configJson(sb);
          insert.setInt(1, sb.sandboxId());
          insert.setString(2, sb.name());
          insert.setString(3, config);
          insert.setString(4, config);
          insert.addBatch();
        }
        insert.executeBatch();
      }
      c.commit();
    } catch (SQLException e) {
      throw new IOException("cannot write the demo catalog " + db + ": " + e.getMessage(), e);
    }
  }

  /**
   * Records a live resize of {@code sb}'s memory: its config and active config now say its current
   * memory, as microsandbox writes them once the change is applied to the running sandbox.
   */
  static void resized(Path msbHome, SimulatedSandbox sb) throws IOException {
    Path db = catalogFile(msbHome);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        PreparedStatement update =
            c.prepareStatement(
                "UPDATE sandbox SET config = ?, active_config = ?, updated_at = datetime('now')"
                    + " WHERE id = ?")) {
      String config = configJson(sb);
      update.setString(1, config);
      update.setString(2, config);
      update.setInt(3, sb.sandboxId());
      update.executeUpdate();
    } catch (SQLException e) {
      throw new IOException("cannot update the demo catalog " + db + ": " + e.getMessage(), e);
    }
  }

  private static Path catalogFile(Path msbHome) {
    return msbHome.resolve("db").resolve("msb.db");
  }

  /** A config in microsandbox's shape, reduced to what matters here. */
  private static String configJson(SimulatedSandbox sb) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      long memoryMib = sb.memoryLimitBytes() >> 20;
      json.writeStartObject();
      json.writeStringField("name", sb.name());
      json.writeObjectFieldStart("image");
      json.writeObjectFieldStart("Oci");
      json.writeStringField("reference", "ghcr.io/example/" + sb.name() + ":demo");
      json.writeEndObject();
      json.writeEndObject();
      json.writeObjectFieldStart("resources");
      json.writeNumberField("cpus", sb.vcpus());
      json.writeNumberField("memory_mib", memoryMib);
      json.writeNumberField("max_cpus", sb.vcpus());
      json.writeNumberField("max_memory_mib", sb.maxMemoryLimitBytes() >> 20);
      json.writeEndObject();
      json.writeObjectFieldStart("runtime");
      json.writeNumberField("metrics_sample_interval_ms", 1000);
      json.writeBooleanField("disable_metrics_sample", false);
      json.writeEndObject();
      json.writeObjectFieldStart("labels");
      json.writeStringField("app", sb.profile().name().toLowerCase(Locale.ROOT).replace('_', '-'));
      json.writeStringField("env", "demo");
      json.writeEndObject();
      json.writeEndObject();
    }
    return out.toString();
  }
}
