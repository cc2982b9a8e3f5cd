package io.microsandbox.metrics.otel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PartialSuccessTest {

  @Test
  void decodesTheOfficialMessage() {
    byte[] body =
        ExportMetricsServiceResponse.newBuilder()
            .setPartialSuccess(
                ExportMetricsPartialSuccess.newBuilder()
                    .setRejectedDataPoints(1L << 40)
                    .setErrorMessage("too old"))
            .build()
            .toByteArray();
    PartialSuccess p = PartialSuccess.parse(body).orElseThrow();
    assertThat(p.rejectedPoints()).isEqualTo(1L << 40);
    assertThat(p.message()).isEqualTo("too old");
  }

  @Test
  void aPlainSuccessOrGarbageIsNoPartialSuccess() {
    assertThat(
            PartialSuccess.parse(ExportMetricsServiceResponse.getDefaultInstance().toByteArray()))
        .isEmpty();
    assertThat(
            PartialSuccess.parse(
                ExportMetricsServiceResponse.newBuilder()
                    .setPartialSuccess(ExportMetricsPartialSuccess.getDefaultInstance())
                    .build()
                    .toByteArray()))
        .isEmpty();
    assertThat(PartialSuccess.parse(new byte[] {0x0a, 0x7f, 0x01})).isEmpty();
    assertThat(PartialSuccess.parse(null)).isEmpty();
  }

  @Test
  void retryAfterTakesSecondsOrAnHttpDate() {
    assertThat(HttpTransport.parseRetryAfter(" 30 ")).contains(Duration.ofSeconds(30));
    assertThat(HttpTransport.parseRetryAfter("-5")).contains(Duration.ZERO);
    assertThat(HttpTransport.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"))
        .contains(Duration.ZERO); // in the past
    assertThat(HttpTransport.parseRetryAfter("soon")).isEmpty();
  }
}
