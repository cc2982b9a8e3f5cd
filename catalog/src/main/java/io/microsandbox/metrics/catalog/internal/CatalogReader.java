package io.microsandbox.metrics.catalog.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;

/**
 * Reads sandbox config JSON from microsandbox's SQLite catalog over one kept, read-only connection.
 *
 * <p>The connection is opened lazily, on the first call that needs it, and closed on any failure,
 * so the next call starts afresh: that is how the reader recovers from a catalog that was missing,
 * replaced, locked or corrupt without a retry loop of its own. A catalog file replaced under the
 * same path (a different inode) is noticed by its file key and reopened.
 *
 * <p>{@link #version()} is the cheap question asked every tick (one {@code stat} and one {@code
 * PRAGMA data_version}); {@link #configs(List)} is the bulk query asked only when the answer
 * changed or new sandboxes appeared. Not thread-safe: one caller at a time.
 */
public final class CatalogReader implements AutoCloseable {
  /**
   * Ids bound per execution of the bulk query. One fixed-size statement is prepared once and
   * reused; a short last chunk is padded by repeating an id, which {@code IN} ignores.
   */
  static final int IDS_PER_QUERY = 128;

  private final String configsSql;
  private final Path file;
  private final int busyTimeoutMs;

  private @Nullable Connection connection;
  private @Nullable PreparedStatement versionStatement;
  private @Nullable PreparedStatement configsStatement;
  private @Nullable Object openedFileKey;
  private long connectionsOpened;

  /**
   * Creates a reader; nothing is opened until it is first used.
   *
   * @param file the catalog database file ({@code $MSB_HOME/db/msb.db})
   * @param busyTimeoutMs how long a query waits for a writer's lock before giving up
   * @param maxRowBytes the largest config fetched, in bytes; a larger one is measured in SQLite
   *     ({@code octet_length}) and never copied into the JVM
   */
  public CatalogReader(Path file, int busyTimeoutMs, long maxRowBytes) {
    this.file = Objects.requireNonNull(file, "file");
    this.busyTimeoutMs = busyTimeoutMs;
    this.configsSql = configsSql(maxRowBytes);
  }

  /** The catalog database file this reader reads. */
  public Path file() {
    return file;
  }

  /**
   * The catalog's current content version, connecting first if needed.
   *
   * @return a version that equals the previous one only if nothing was committed in between
   * @throws CatalogUnavailableException when the file is missing or cannot be opened or read
   */
  public CatalogVersion version() throws CatalogUnavailableException {
    Object fileKey = currentFileKey();
    if (connection != null && !Objects.equals(fileKey, openedFileKey)) {
      // the path now names another file (deleted and recreated, restored from a backup):
      // the kept connection still reads the old one
      close();
    }
    try {
      Connection c = connection != null ? connection : open(fileKey);
      PreparedStatement statement = versionStatement;
      if (statement == null) {
        statement = c.prepareStatement("PRAGMA data_version");
        versionStatement = statement;
      }
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return new CatalogVersion(connectionsOpened, rs.getLong(1));
      }
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  /**
   * The config JSON of the given sandboxes: {@code active_config} when it is set, else {@code
   * config}; a config over the row limit only by its size.
   *
   * @param sandboxIds the catalog ids to read (duplicates allowed)
   * @return config rows by id; ids without a row are absent, rows whose both columns are NULL have
   *     no text
   * @throws CatalogUnavailableException when the catalog cannot be read (missing table, locked,
   *     corrupt)
   */
  public Map<Integer, ConfigRow> configs(List<Integer> sandboxIds)
      throws CatalogUnavailableException {
    Map<Integer, ConfigRow> out = new HashMap<>(sandboxIds.size() * 2);
    if (sandboxIds.isEmpty()) {
      return out;
    }
    try {
      Connection c = connection != null ? connection : open(currentFileKey());
      PreparedStatement statement = configsStatement;
      if (statement == null) {
        statement = c.prepareStatement(configsSql);
        configsStatement = statement;
      }
      for (int from = 0; from < sandboxIds.size(); from += IDS_PER_QUERY) {
        int to = Math.min(from + IDS_PER_QUERY, sandboxIds.size());
        for (int i = 0; i < IDS_PER_QUERY; i++) {
          int index = from + i < to ? from + i : from;
          statement.setInt(i + 1, sandboxIds.get(index));
        }
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            String json = rs.getString(3);
            long bytes = rs.getLong(2);
            out.put(rs.getInt(1), new ConfigRow(json, json == null && !rs.wasNull() ? bytes : 0));
          }
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  /** Closes the connection; the next call reopens it. */
  @Override
  public void close() {
    closeQuietly(configsStatement);
    closeQuietly(versionStatement);
    closeQuietly(connection);
    configsStatement = null;
    versionStatement = null;
    connection = null;
    openedFileKey = null;
  }

  private Object currentFileKey() throws CatalogUnavailableException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      close();
      throw new CatalogUnavailableException("no catalog file at " + file, null);
    } catch (IOException e) {
      close();
      throw new CatalogUnavailableException("cannot stat the catalog file: " + e, e);
    }
    if (!attributes.isRegularFile()) {
      close();
      throw new CatalogUnavailableException(file + " is not a regular file", null);
    }
    return attributes.fileKey();
  }

  private Connection open(Object fileKey) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    // read-only: never create the file, never take a write lock on microsandbox's database
    config.setReadOnly(true);
    config.setBusyTimeout(busyTimeoutMs);
    Connection opened = config.createConnection("jdbc:sqlite:" + file);
    connection = opened;
    connectionsOpened++;
    openedFileKey = fileKey;
    return opened;
  }

  private CatalogUnavailableException failure(SQLException e) {
    close();
    return new CatalogUnavailableException(oneLine(e.getMessage()), e);
  }

  private static String oneLine(@Nullable String message) {
    if (message == null) {
      return "unknown SQLite error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static void closeQuietly(@Nullable AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception ignored) {
      // closing a failed or finished connection: nothing left to protect
    }
  }

  /**
   * The bulk query: id, the config's size in bytes, and the config itself only when it is within
   * {@code maxRowBytes}. SQLite measures it ({@code octet_length}, no copy into the JVM), so a 100
   * MB row costs the JVM nothing (it was an OutOfMemoryError at every start).
   */
  private static String configsSql(long maxRowBytes) {
    String config = "COALESCE(active_config, config)";
    StringBuilder sql =
        new StringBuilder("SELECT id, octet_length(")
            .append(config)
            .append("), CASE WHEN octet_length(")
            .append(config)
            .append(") <= ")
            .append(maxRowBytes)
            .append(" THEN ")
            .append(config)
            .append(" END FROM sandbox WHERE id IN (");
    for (int i = 0; i < IDS_PER_QUERY; i++) {
      sql.append(i == 0 ? "?" : ",?");
    }
    return sql.append(')').toString();
  }
}
