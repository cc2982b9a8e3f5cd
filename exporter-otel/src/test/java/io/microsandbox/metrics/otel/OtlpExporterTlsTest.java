package io.microsandbox.metrics.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.microsandbox.metrics.collector.ExportResult;
import io.microsandbox.metrics.otel.testing.OtlpTestReceiver;
import io.microsandbox.metrics.otel.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** TLS with a private CA added to the system trust, and mutual TLS, on both transports. */
@Timeout(60)
class OtlpExporterTlsTest {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"GRPC, NONE", "GRPC, GZIP", "HTTP_PROTOBUF, NONE", "HTTP_PROTOBUF, GZIP"})
  void tlsWithAPrivateCa(OtlpProtocol protocol, OtlpCompression compression) throws Exception {
    TestCertificates pki = TestCertificates.shared();
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start(protocol, pki, false)) {
      assertThat(receiver.endpoint()).startsWith("https://");
      OtlpExporter exporter =
          OtlpExporter.builder()
              .endpoint(receiver.endpoint())
              .protocol(protocol)
              .compression(compression)
              .trustedCertificates(pki.caPem())
              .requestTimeout(Duration.ofSeconds(10))
              .build();
      try {
        ExportResult r =
            exporter.export(OtlpExporterWireTest.TestBatches.twoCollectionsOfTwoSandboxes());
        assertThat(r.kind()).isEqualTo(ExportResult.Kind.SUCCESS);
        assertThat(receiver.accepted()).hasSize(1);
        assertThat(receiver.accepted().get(0).points("microsandbox.memory.usage")).hasSize(4);
      } finally {
        exporter.shutdown();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(OtlpProtocol.class)
  void withoutTheCaTheServerIsNotTrustedAndTheBatchIsKept(OtlpProtocol protocol) throws Exception {
    try (OtlpTestReceiver receiver =
        OtlpTestReceiver.start(protocol, TestCertificates.shared(), false)) {
      OtlpExporter exporter =
          OtlpExporter.builder()
              .endpoint(receiver.endpoint())
              .protocol(protocol)
              .requestTimeout(Duration.ofSeconds(10))
              .build();
      try {
        ExportResult r =
            exporter.export(OtlpExporterWireTest.TestBatches.twoCollectionsOfTwoSandboxes());
        assertThat(r.kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
        assertThat(receiver.accepted()).isEmpty();
      } finally {
        exporter.shutdown();
      }
    }
  }

  @ParameterizedTest(name = "{0} pkcs1={1}")
  @CsvSource({"GRPC, false", "HTTP_PROTOBUF, false", "GRPC, true", "HTTP_PROTOBUF, true"})
  void mutualTls(OtlpProtocol protocol, boolean pkcs1Key) throws Exception {
    TestCertificates pki = TestCertificates.shared();
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start(protocol, pki, true)) {
      byte[] key = pkcs1Key ? pki.clientKeyPkcs1Pem() : pki.clientKeyPem();
      OtlpExporter withCert =
          OtlpExporter.builder()
              .endpoint(receiver.endpoint())
              .protocol(protocol)
              .trustedCertificates(pki.caPem())
              .clientTls(key, pki.clientCertificatePem())
              .requestTimeout(Duration.ofSeconds(10))
              .build();
      OtlpExporter withoutCert =
          OtlpExporter.builder()
              .endpoint(receiver.endpoint())
              .protocol(protocol)
              .trustedCertificates(pki.caPem())
              .requestTimeout(Duration.ofSeconds(10))
              .build();
      try {
        assertThat(
                withoutCert
                    .export(OtlpExporterWireTest.TestBatches.twoCollectionsOfTwoSandboxes())
                    .kind())
            .isEqualTo(ExportResult.Kind.RETRYABLE);
        assertThat(receiver.accepted()).isEmpty();
        assertThat(
                withCert
                    .export(OtlpExporterWireTest.TestBatches.twoCollectionsOfTwoSandboxes())
                    .kind())
            .isEqualTo(ExportResult.Kind.SUCCESS);
        assertThat(receiver.accepted()).hasSize(1);
      } finally {
        withCert.shutdown();
        withoutCert.shutdown();
      }
    }
  }

  @Test
  void tlsMaterialErrorsAreOneLineAndBeforeAnythingStarts() {
    TestCertificates pki = TestCertificates.shared();
    byte[] garbage = "not a certificate".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(
            () ->
                OtlpExporter.builder()
                    .endpoint("https://127.0.0.1:4317")
                    .trustedCertificates(garbage)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CA certificate");
    assertThatThrownBy(
            () ->
                OtlpExporter.builder()
                    .endpoint("https://127.0.0.1:4317")
                    .clientTls(garbage, pki.clientCertificatePem())
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("client key");
    assertThatThrownBy(
            () ->
                OtlpExporter.builder()
                    .endpoint("https://127.0.0.1:4317")
                    .clientTls(pki.clientKeyPem(), garbage)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("client certificate");
    assertThatThrownBy(
            () ->
                OtlpExporter.builder()
                    .endpoint("http://127.0.0.1:4317")
                    .trustedCertificates(pki.caPem())
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https://");
    assertThatThrownBy(
            () ->
                OtlpExporter.builder()
                    .endpoint("http://127.0.0.1:4317")
                    .clientTls(pki.clientKeyPem(), pki.clientCertificatePem())
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https://");
  }
}
