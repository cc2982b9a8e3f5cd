package io.microsandbox.metrics.endpoints.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 21 point 16: {@code /status} shows no endpoint, whatever an exporter's error says. */
class StatusJsonTest {
  @Test
  void everyEndpointInAnErrorBecomesAPlaceholder() {
    assertThat(
            StatusJson.redact(
                "HTTP 503 from https://u:p@otlp.example.com:4318/v1/metrics?k=v: overloaded"))
        .isEqualTo("HTTP 503 from <endpoint>: overloaded");
    assertThat(StatusJson.redact("gRPC UNAVAILABLE io exception from http://[::1]:4317"))
        .isEqualTo("gRPC UNAVAILABLE io exception from <endpoint>");
    assertThat(
            StatusJson.redact(
                "connection refused: Failed to connect to otlp.internal/10.0.0.5:4317"
                    + " (http://otlp.internal:4317)"))
        .isEqualTo("connection refused: Failed to connect to <endpoint> (<endpoint>)");
    assertThat(StatusJson.redact("timed out: localhost:4318 after 30 s"))
        .isEqualTo("timed out: <endpoint> after 30 s");
    assertThat(StatusJson.redact("connect to [fe80::1]:4317 failed"))
        .isEqualTo("connect to <endpoint> failed");
    // words, numbers and durations stay
    assertThat(StatusJson.redact("HTTP 429 (retry after 5 s): 3 of 10 points rejected"))
        .isEqualTo("HTTP 429 (retry after 5 s): 3 of 10 points rejected");
  }
}
