package io.microsandbox.metrics.catalog.bench;

import io.microsandbox.metrics.catalog.CatalogMetadataSource;
import io.microsandbox.metrics.catalog.TestCatalog;
import io.microsandbox.metrics.catalog.internal.CatalogReader;
import io.microsandbox.metrics.catalog.internal.ConfigRow;
import io.microsandbox.metrics.collector.SandboxMetadata;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sqlite.SQLiteConfig;

/**
 * One collect tick's label resolution for N sandboxes against a real SQLite catalog.
 *
 * <ul>
 *   <li>{@code unchanged}: the catalog did not change since the previous tick (the common case,
 *       every second).
 *   <li>{@code oneRowChanged}: microsandbox committed a change to one sandbox's config before the
 *       tick (the write happens in the per-invocation setup, outside the measurement), so the
 *       source re-reads every row and re-parses the one that changed.
 *   <li>{@code queryAllRows}: the bulk query alone, for every id (what each tick would cost without
 *       change detection, before parsing).
 *   <li>{@code scanWholeTable}: the alternative to the bulk query, reading every row of the table
 *       (cheaper while the table holds only running sandboxes, but it grows with every sandbox ever
 *       kept in the catalog).
 *   <li>{@code versionProbe}: the change detection alone ({@code stat} + {@code PRAGMA
 *       data_version}).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CatalogLabelBenchmark {
  @Param({"1000"})
  public int sandboxes;

  private Path msbHome;
  private CatalogMetadataSource source;
  private CatalogReader reader;
  private List<SandboxSnapshot> snapshots;
  private List<Integer> ids;
  private Connection writer;
  private PreparedStatement update;
  private long changes;
  private Connection scanConnection;
  private PreparedStatement scan;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    msbHome = Files.createTempDirectory("msb-catalog-bench");
    TestCatalog catalog = TestCatalog.createIn(msbHome);
    writer = catalog.connect();
    try (Statement s = writer.createStatement()) {
      // the benchmark measures the reader, not the writer's fsync
      s.execute("PRAGMA synchronous = OFF");
    }
    writer.setAutoCommit(false);
    try (PreparedStatement insert =
        writer.prepareStatement("INSERT INTO sandbox (id, name, config) VALUES (?, ?, ?)")) {
      for (int id = 1; id <= sandboxes; id++) {
        insert.setInt(1, id);
        insert.setString(2, "sandbox-" + id);
        insert.setString(3, config(id, 0));
        insert.addBatch();
      }
      insert.executeBatch();
    }
    writer.commit();
    writer.setAutoCommit(true);
    SQLiteConfig readOnly = new SQLiteConfig();
    readOnly.setReadOnly(true);
    scanConnection = readOnly.createConnection("jdbc:sqlite:" + catalog.file());
    scan =
        scanConnection.prepareStatement("SELECT id, COALESCE(active_config, config) FROM sandbox");
    update = writer.prepareStatement("UPDATE sandbox SET config = ? WHERE id = ?");

    snapshots = new ArrayList<>();
    ids = new ArrayList<>();
    for (int id = 1; id <= sandboxes; id++) {
      snapshots.add(
          SandboxSnapshot.builder().slot(id - 1).sandboxId(id).name("sandbox-" + id).build());
      ids.add(id);
    }
    source = CatalogMetadataSource.builder().msbHome(msbHome).build();
    reader =
        new CatalogReader(source.catalogPath(), 50, CatalogMetadataSource.DEFAULT_MAX_ROW_BYTES);
    Map<Integer, SandboxMetadata> first = source.metadataFor(snapshots);
    if (first.size() != sandboxes) {
      throw new IllegalStateException("expected labels for every sandbox, got " + first.size());
    }
  }

  /**
   * A realistic config in microsandbox's shape: a few hundred bytes of image, resources, runtime,
   * env and mounts, 3 labels.
   */
  private static String config(int id, long revision) {
    return "{\"name\":\"sb-"
        + id
        + "\",\"image\":{\"Oci\":{\"reference\":"
        + "\"ghcr.io/acme/web:1.4."
        + revision
        + "\"}},"
        + "\"resources\":{\"cpus\":2,\"memory_mib\":1024,\"max_cpus\":2,\"max_memory_mib\":1024},"
        + "\"runtime\":{\"workdir\":\"/app\",\"metrics_sample_interval_ms\":1000,"
        + "\"disable_metrics_sample\":false},"
        + "\"env\":[{\"key\":\"PATH\",\"value\":\"/usr/local/bin:/usr/bin:/bin\"},"
        + "{\"key\":\"RUST_LOG\",\"value\":\"info\"},{\"key\":\"PORT\",\"value\":\"8080\"}],"
        + "\"mounts\":[{\"host\":\"/srv/data/"
        + id
        + "\",\"guest\":\"/data\",\"ro\":false}],"
        + "\"labels\":{\"user.id\":\"user-"
        + (id % 97)
        + "\",\"tier\":\"web\","
        + "\"team\":\"payments\"}}";
  }

  /** Commits a change to one sandbox's config, as microsandbox would, before each tick. */
  void changeOneRow() throws SQLException {
    changes++;
    int id = (int) (changes % sandboxes) + 1;
    update.setString(1, config(id, changes));
    update.setInt(2, id);
    update.executeUpdate();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws SQLException, IOException {
    source.close();
    reader.close();
    scan.close();
    scanConnection.close();
    update.close();
    writer.close();
    try (Stream<Path> files = Files.walk(msbHome)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Used by {@code oneRowChanged} only: one row changed before every invocation. */
  @State(Scope.Thread)
  public static class ChangedRow {
    @Setup(Level.Invocation)
    public void change(CatalogLabelBenchmark benchmark) throws SQLException {
      benchmark.changeOneRow();
    }
  }

  @Benchmark
  public Map<Integer, SandboxMetadata> unchanged() {
    return source.metadataFor(snapshots);
  }

  @Benchmark
  public Map<Integer, SandboxMetadata> oneRowChanged(ChangedRow changedRow) {
    return source.metadataFor(snapshots);
  }

  @Benchmark
  public Map<Integer, ConfigRow> queryAllRows() throws Exception {
    return reader.configs(ids);
  }

  @Benchmark
  public int scanWholeTable() throws Exception {
    int n = 0;
    try (ResultSet rs = scan.executeQuery()) {
      while (rs.next()) {
        n += rs.getInt(1);
        n += rs.getString(2).length();
      }
    }
    return n;
  }

  @Benchmark
  public Object versionProbe() throws Exception {
    return reader.version();
  }
}
