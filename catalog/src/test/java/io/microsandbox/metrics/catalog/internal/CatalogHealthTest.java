package io.microsandbox.metrics.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.catalog.RecordingLogger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class CatalogHealthTest {
  private final RecordingLogger log = new RecordingLogger();
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return now;
        }

        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }
      };
  private final CatalogHealth health = new CatalogHealth(Path.of("/msb/db/msb.db"), log, clock);

  @Test
  void warnsOncePerOutageAndReportsRecoveryWithItsDuration() {
    health.succeeded();
    assertThat(log.at(Level.INFO)).isEmpty();

    health.failed("database is locked");
    for (int tick = 0; tick < 10; tick++) {
      now = now.plusSeconds(1);
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
    now = now.plus(Duration.ofMillis(1500));
    health.succeeded();

    assertThat(log.at(Level.INFO)).singleElement().asString().endsWith("after 1.5 s");
  }
}
