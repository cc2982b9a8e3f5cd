package io.microsandbox.metrics.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.ExportResult;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Credentials in the endpoint URL never reach a message or {@code toString} (issue 9, defect 5).
 */
@Timeout(30)
class EndpointRedactionTest {

  @Test
  void userInfoQueryValuesAndFragmentsAreRedactedWhateverTheUrl() {
    assertThat(EndpointRedaction.redact("http://alice:s3cret@host:4317"))
        .isEqualTo("http://***@host:4317");
    assertThat(EndpointRedaction.redact("https://a:b@c@host/v1/metrics?token=abc&x&tenant="))
        .isEqualTo("https://***@host/v1/metrics?token=***&***&tenant=***");
    assertThat(EndpointRedaction.redact("https://host/v1/metrics#key"))
        .isEqualTo("https://host/v1/metrics#***");
    assertThat(EndpointRedaction.redact("http://host:4317")).isEqualTo("http://host:4317");
    // malformed URLs are redacted too (they appear in the errors that reject them)
    assertThat(EndpointRedaction.redact("ftp://u:p w@host:x/y z?k=v v"))
        .isEqualTo("ftp://***@host:x/y z?k=***");
    assertThat(EndpointRedaction.redact(null)).isEqualTo("null");
  }

  @ParameterizedTest
  @EnumSource(OtlpProtocol.class)
  void theExportersMessagesAndToStringNeverShowTheCredentials(OtlpProtocol protocol)
      throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    OtlpExporter exporter =
        OtlpExporter.builder()
            .endpoint("http://alice:s3cret@127.0.0.1:" + closedPort + "/v1/metrics?token=t0ken")
            .protocol(protocol)
            .requestTimeout(Duration.ofSeconds(5))
            .build();
    try {
      ExportResult r =
          exporter.export(OtlpExporterWireTest.TestBatches.twoCollectionsOfTwoSandboxes());

      assertThat(r.kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
      assertThat(r.message()).contains("127.0.0.1:" + closedPort).doesNotContain("s3cret", "t0ken");
      assertThat(exporter.toString())
          .contains("http://***@127.0.0.1:" + closedPort + "/v1/metrics?token=***")
          .doesNotContain("s3cret", "t0ken");
    } finally {
      exporter.shutdown();
    }
  }

  @Test
  void builderErrorsNeverShowTheCredentials() {
    for (String bad :
        new String[] {
          "ftp://alice:s3cret@h:1?token=t0ken", "http://alice:s3cret@h:1/a b?token=t0ken"
        }) {
      try {
        OtlpExporter.builder().endpoint(bad).build();
        throw new AssertionError("accepted " + bad);
      } catch (IllegalArgumentException e) {
        assertThat(e.getMessage()).doesNotContain("s3cret", "t0ken");
      }
    }
  }
}
