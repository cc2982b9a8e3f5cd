package io.microsandbox.metrics.collector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffPolicyTest {
  private static final long F = Duration.ofSeconds(10).toNanos();
  private static final Duration LONG = Duration.ofDays(1);

  @Test
  void doublesAfterEachFailureUpTo32TimesTheFlushIntervalThenResets() {
    BackoffPolicy p = new BackoffPolicy(Duration.ofSeconds(10), LONG);
    assertThat(p.nextDelayNanos(0)).isEqualTo(F);
    List<Long> multiples = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      p.onFailure();
      multiples.add(p.nextDelayNanos(0) / F);
    }
    assertThat(multiples).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 32L, 32L);

    assertThat(p.onSuccess()).isEqualTo(8);
    assertThat(p.nextDelayNanos(0)).isEqualTo(F);
    assertThat(p.onSuccess()).isZero();
  }

  @Test
  void honoursALongerRetryAfterHintOnly() {
    BackoffPolicy p = new BackoffPolicy(Duration.ofSeconds(10), LONG);
    p.onFailure();
    p.onFailure(); // 2x = 20 s
    assertThat(p.nextDelayNanos(Duration.ofSeconds(5).toNanos())).isEqualTo(2 * F);
    assertThat(p.nextDelayNanos(Duration.ofSeconds(45).toNanos()))
        .isEqualTo(Duration.ofSeconds(45).toNanos());
  }

  @Test
  void neverOverflowsWithAHugeFlushInterval() {
    BackoffPolicy p =
        new BackoffPolicy(Duration.ofNanos(Long.MAX_VALUE / 4), Duration.ofSeconds(Long.MAX_VALUE));
    for (int i = 0; i < 10; i++) {
      p.onFailure();
    }
    assertThat(p.nextDelayNanos(0)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void neverWaitsLongerThanTheBufferHoldsRetryAfterIncluded() {
    Duration retention = BackoffPolicy.retention(Duration.ofSeconds(10), Duration.ofSeconds(1), 60);
    assertThat(retention).isEqualTo(Duration.ofSeconds(60));
    BackoffPolicy p = new BackoffPolicy(Duration.ofSeconds(10), retention);
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      p.onFailure();
      delays.add(p.nextDelayNanos(0) / 1_000_000_000L);
    }
    assertThat(delays).containsExactly(10L, 20L, 40L, 60L, 60L, 60L, 60L);
    assertThat(p.nextDelayNanos(Duration.ofMinutes(10).toNanos()))
        .isEqualTo(Duration.ofSeconds(60).toNanos());
  }

  @Test
  void theRetentionIsAtLeastOneFlushAndNeverOverflows() {
    assertThat(BackoffPolicy.retention(Duration.ofSeconds(10), Duration.ofMillis(100), 5))
        .isEqualTo(Duration.ofSeconds(10));
    BackoffPolicy p =
        new BackoffPolicy(
            Duration.ofSeconds(10),
            BackoffPolicy.retention(Duration.ofSeconds(10), Duration.ofMillis(100), 5));
    p.onFailure();
    p.onFailure();
    assertThat(p.nextDelayNanos(0)).isEqualTo(F);
    assertThat(
            BackoffPolicy.retention(
                Duration.ofSeconds(1), Duration.ofSeconds(Long.MAX_VALUE / 2), Integer.MAX_VALUE))
        .isEqualTo(Duration.ofSeconds(Long.MAX_VALUE));
  }
}
