package io.microsandbox.metrics.otel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gRPC transport sets up TLS only for https:// endpoints. */
class GrpcTransportTlsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static boolean setsUpTls(String endpoint) {
    GrpcTransport t =
        new GrpcTransport(URI.create(endpoint), Map.of(), false, TIMEOUT, TIMEOUT, null, null);
    try {
      return t.setUpTls();
    } finally {
      t.close();
    }
  }

  @Test
  void aCleartextEndpointLoadsNoTrustStore() {
    assertThat(setsUpTls("http://127.0.0.1:4317")).isFalse();
  }

  @Test
  void anHttpsEndpointTrustsTheSystemsCertificates() {
    assertThat(setsUpTls("https://collector.example:4317")).isTrue();
  }
}
