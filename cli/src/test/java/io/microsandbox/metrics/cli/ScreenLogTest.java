package io.microsandbox.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.microsandbox.metrics.catalog.CatalogMetadataSource;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Issue 21 point 15: {@code top}'s status line while and after the catalog is unavailable. */
class ScreenLogTest {
  @TempDir Path msbHome;

  private final ch.qos.logback.classic.Logger root =
      (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private Level before;

  /** The command's default level (other tests in this JVM may have set another). */
  @BeforeEach
  void infoLevel() {
    before = root.getLevel();
    root.setLevel(Level.INFO);
  }

  @AfterEach
  void restoreLevel() {
    root.setLevel(before);
  }

  @Test
  void theCatalogWarningLeavesTheStatusLineAsSoonAsTheCatalogIsReadableAgain() throws Exception {
    List<SandboxSnapshot> sandboxes =
        List.of(SandboxSnapshot.builder().sandboxId(1).name("web").build());
    try (ScreenLog log = ScreenLog.divert();
        CatalogMetadataSource catalog = CatalogMetadataSource.builder().msbHome(msbHome).build()) {
      catalog.metadataFor(sandboxes); // no catalog file yet
      assertThat(log.latest()).startsWith("WARN catalog unavailable");
      catalog.metadataFor(sandboxes);
      assertThat(log.latest()).as("still down").startsWith("WARN catalog unavailable");

      writeCatalog();
      catalog.metadataFor(sandboxes); // the first readable tick
      assertThat(log.latest()).as("readable again: the warning is over").isNull();
    }
  }

  @Test
  void onlyTheLoggerThatWarnedClearsItsWarning() {
    try (ScreenLog log = ScreenLog.divert()) {
      LoggerFactory.getLogger("test.a").warn("a is down");
      LoggerFactory.getLogger("test.b").info("b is fine");
      assertThat(log.latest()).isEqualTo("WARN a is down");
      LoggerFactory.getLogger("test.a").info("a is back");
      assertThat(log.latest()).isNull();
    }
  }

  private void writeCatalog() throws Exception {
    Path db = msbHome.resolve("db/msb.db");
    Files.createDirectories(db.getParent());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE sandbox (id INTEGER PRIMARY KEY, name TEXT UNIQUE, config TEXT,"
              + " active_config TEXT NULL, status TEXT, ephemeral BOOL, created_at, updated_at)");
      s.execute("INSERT INTO sandbox (id, name, config) VALUES (1, 'web', '{}')");
    }
  }
}
