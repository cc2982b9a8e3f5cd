package io.microsandbox.metrics.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.catalog.RecordingLogger;
import io.microsandbox.metrics.registry.TimeSource;
import io.microsandbox.metrics.registry.testing.TestClocks;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class CatalogHealthTest {
  private final RecordingLogger log = new RecordingLogger();
  private long nowNanos = 42_000_000_000L;
  private final TimeSource time = TestClocks.of(() -> nowNanos, () -> 0L);
  private final CatalogHealth health = new CatalogHealth(Path.of("/msb/db/msb.db"), log, time);

  @Test
  void warnsOncePerOutageAndReportsRecoveryWithItsDuration() {
    health.succeeded();
    assertThat(log.at(Level.INFO)).isEmpty();

    health.failed("database is locked");
    for (int tick = 0; tick < 10; tick++) {
      nowNanos += Duration.ofSeconds(1).toNanos();
      health.failed("database is locked");
    }
    assertThat(health.unavailable()).isTrue();
    assertThat(log.at(Level.WARN))
        .singleElement()
        .asString()
        .contains("/msb/db/msb.db", "database is locked");
    assertThat(log.at(Level.DEBUG)).hasSize(10);

    health.succeeded();
    health.succeeded();
    assertThat(health.unavailable()).isFalse();
    assertThat(log.at(Level.INFO)).singleElement().asString().contains("after 10.0 s");

    health.failed("no catalog file");
    assertThat(log.at(Level.WARN)).hasSize(2);
    assertThat(health.outages()).isEqualTo(2);
  }

  @Test
  void durationIsMeasuredWithTheInjectedClock() {
    health.failed("x");
    nowNanos += Duration.ofMillis(1500).toNanos();
    health.succeeded();

    assertThat(log.at(Level.INFO)).singleElement().asString().endsWith("after 1.5 s");
  }
}
