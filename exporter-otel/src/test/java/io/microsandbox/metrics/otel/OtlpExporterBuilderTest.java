package io.microsandbox.metrics.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.microsandbox.metrics.collector.InvalidSettingException;
import io.microsandbox.metrics.collector.MetricsCollector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class OtlpExporterBuilderTest {

  /** What building with {@code builder} writes to stderr (slf4j-simple's log). */
  private static String stderrOfBuilding(OtlpExporterBuilder builder) {
    java.io.PrintStream original = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      builder.build();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void anHttpEndpointNotEndingInV1MetricsGetsOneWarning() {
    String noPath =
        stderrOfBuilding(
            OtlpExporter.builder()
                .endpoint("http://127.0.0.1:4318?token=secret")
                .protocol(OtlpProtocol.HTTP_PROTOBUF));
    assertThat(noPath.lines().filter(l -> l.contains("WARN")))
        .singleElement()
        .asString()
        .contains("endpoint http://127.0.0.1:4318?token=*** does not end in /v1/metrics");
    assertThat(
            stderrOfBuilding(
                OtlpExporter.builder()
                    .endpoint("http://127.0.0.1:4318/v1/traces")
                    .protocol(OtlpProtocol.HTTP_PROTOBUF)))
        .contains("does not end in /v1/metrics");
    assertThat(
            stderrOfBuilding(
                OtlpExporter.builder()
                    .endpoint("https://otlp.example.com/otlp/v1/metrics")
                    .protocol(OtlpProtocol.HTTP_PROTOBUF)))
        .doesNotContain("WARN");
    assertThat(stderrOfBuilding(OtlpExporter.builder().endpoint("http://127.0.0.1:4317")))
        .as("gRPC has no path")
        .doesNotContain("WARN");
  }

  @Test
  void endpointMustBeAnHttpUrlWithAHost() {
    assertThatThrownBy(() -> OtlpExporter.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("endpoint is required");
    for (String bad :
        new String[] {"localhost:4317", "grpc://h:4317", "HTTP://h:4318", "http://", "not a url"}) {
      assertThatThrownBy(() -> OtlpExporter.builder().endpoint(bad).build())
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("endpoint");
    }
  }

  @Test
  void anEndpointPortOutsideOneTo65535IsRefusedAtBuild() {
    for (String bad :
        new String[] {"http://127.0.0.1:99999", "https://h:0", "http://h:65536/v1/metrics"}) {
      assertThatThrownBy(() -> OtlpExporter.builder().endpoint(bad).build())
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("endpoint port")
          .hasMessageContaining("out of range");
    }
    assertThat(OtlpExporter.builder().endpoint("http://h:65535").build()).isNotNull();
    assertThat(OtlpExporter.builder().endpoint("https://h/v1/metrics").build()).isNotNull();
  }

  @Test
  void settingsAreCheckedWhereTheyAreGiven() {
    assertThatThrownBy(() -> OtlpExporter.builder().requestTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OtlpExporter.builder().maxRequestBytes(1000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OtlpExporter.builder().header(" ", "v"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OtlpExporter.builder().header("Host", "example.com"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("transport");
    assertThatThrownBy(() -> OtlpExporter.builder().header("Authorization", "Bearer \u00e9t\u00e9"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not printable ASCII")
        .hasMessageNotContaining("Bearer");
    assertThatThrownBy(() -> OtlpExporter.builder().header("bad name", "v"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OtlpExporter.builder().resourceAttribute("", "v"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void describesItselfWithoutHeaderValues() {
    OtlpExporter e =
        OtlpExporter.builder()
            .endpoint("http://127.0.0.1:4318/v1/metrics")
            .protocol(OtlpProtocol.HTTP_PROTOBUF)
            .header("Authorization", "Bearer hunter2")
            .build();
    try {
      assertThat(e.name()).isEqualTo("otlp");
      assertThat(e.toString())
          .contains("HTTP_PROTOBUF", "Authorization=***")
          .doesNotContain("hunter2");
    } finally {
      e.shutdown();
    }
  }

  @Test
  void theScopeVersionIsTheProjectVersion() {
    assertThat(MetricsCollector.version()).matches("\\d+\\.\\d+\\.\\d+.*");
  }

  @Test
  void environmentHeadersRankBelowTheMetricsVariableAndExplicitHeaders() {
    OtlpExporterBuilder b =
        OtlpExporter.builder()
            .header("x-both", "explicit")
            .headersFromEnvironment(
                Map.of(
                    OtlpExporterBuilder.ENV_HEADERS,
                    " x-tenant = a%20b ,x-both=generic,x-m=generic",
                    OtlpExporterBuilder.ENV_METRICS_HEADERS,
                    "x-m=metrics,X-BOTH=metrics"));

    assertThat(b.effectiveHeaders())
        .containsOnly(
            entry("x-tenant", "a b"), entry("x-m", "metrics"), entry("x-both", "explicit"));
    assertThat(OtlpExporter.builder().headersFromEnvironment(Map.of()).effectiveHeaders())
        .isEmpty();
  }

  @Test
  void errorsAreTypedAndNameTheirSetting() {
    byte[] junk = "not a pem".getBytes(StandardCharsets.US_ASCII);
    assertSetting(() -> OtlpExporter.builder().build(), "endpoint");
    assertSetting(() -> OtlpExporter.builder().endpoint("http://h:0").build(), "endpoint");
    assertSetting(() -> OtlpExporter.builder().requestTimeout(Duration.ZERO), "requestTimeout");
    // huge durations are refused by name, never an overflow later (as the collector's settings)
    assertSetting(
        () -> OtlpExporter.builder().requestTimeout(Duration.ofDays(366)), "requestTimeout");
    assertSetting(() -> OtlpExporter.builder().header("Host", "h"), "header");
    assertSetting(
        () -> OtlpExporter.builder().endpoint("https://h:4317").trustedCertificates(junk).build(),
        "trustedCertificates");
    assertSetting(
        () -> OtlpExporter.builder().endpoint("http://h:4317").trustedCertificates(junk).build(),
        "trustedCertificates");
    assertSetting(
        () -> OtlpExporter.builder().endpoint("https://h:4317").clientTls(junk, junk).build(),
        "clientTls.certificatePem");
    assertSetting(
        () ->
            OtlpExporter.builder()
                .headersFromEnvironment(
                    Map.of(OtlpExporterBuilder.ENV_METRICS_HEADERS, "Authorization")),
        OtlpExporterBuilder.ENV_METRICS_HEADERS);
    assertThatThrownBy(
            () ->
                OtlpExporter.builder()
                    .headersFromEnvironment(
                        Map.of(OtlpExporterBuilder.ENV_HEADERS, "Authorization=s3cret\u00e9")))
        .hasMessageStartingWith(OtlpExporterBuilder.ENV_HEADERS + ": ")
        .hasMessageNotContaining("s3cret");
  }

  private static void assertSetting(ThrowingCallable call, String setting) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidSettingException.class, e -> assertThat(e.setting()).isEqualTo(setting));
  }
}
