package io.microsandbox.metrics.cli.demo;

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
 * reads: one {@code sandbox} row per simulated sandbox with labels in its config, so the demo shows
 * catalog labels on its metrics too.
 */
final class DemoCatalog {
  private static final JsonFactory JSON = new JsonFactory();

  private DemoCatalog() {}

  static void write(Path msbHome, List<SimulatedSandbox> sandboxes) throws IOException {
    Path db = msbHome.resolve("db").resolve("msb.db");
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
              "INSERT INTO sandbox (id, name, config, status, created_at, updated_at)"
                  + " VALUES (?, ?, ?, 'running', datetime('now'), datetime('now'))")) {
        for (SimulatedSandbox sb : sandboxes) {
          insert.setInt(1, sb.sandboxId());
          insert.setString(2, sb.name());
          insert.setString(3, configJson(sb));
          insert.addBatch();
        }
        insert.executeBatch();
      }
      c.commit();
    } catch (SQLException e) {
      throw new IOException("cannot write the demo catalog " + db + ": " + e.getMessage(), e);
    }
  }

  /** A config as microsandbox stores it, reduced to what matters here. */
  private static String configJson(SimulatedSandbox sb) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeNumberField("cpus", sb.vcpus());
      json.writeNumberField("memory", sb.memoryLimitBytes() >> 20);
      json.writeObjectFieldStart("labels");
      json.writeStringField("app", sb.profile().name().toLowerCase(Locale.ROOT).replace('_', '-'));
      json.writeStringField("env", "demo");
      json.writeEndObject();
      json.writeEndObject();
    }
    return out.toString();
  }
}
