package com.example.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microsandbox.metrics.collector.ExporterStatus;
import io.microsandbox.metrics.otel.testing.GrpcOtlpReceiver;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's example in an application of its own: collects a registry written by the published
 * writer, ships it over OTLP/gRPC (on whichever OkHttp the build put on the class path) and serves
 * it on /metrics, then closes.
 */
class LibraryExampleTest {
  @TempDir Path msbHome;

  @Test
  void shipsOverGrpcAndServesMetricsThenCloses() throws Exception {
    assertOkHttpIsTheExpectedOne();
    try (ShmRegistry registry = new ShmRegistry(msbHome);
        GrpcOtlpReceiver receiver = GrpcOtlpReceiver.start(null, false);
        SandboxMetrics metrics =
            SandboxMetrics.start(
                msbHome, receiver.endpoint(), new InetSocketAddress("127.0.0.1", 0))) {
      ShmRegistry.awaitFirstCollection(metrics.collector());
      metrics.collector().flush().get(30, TimeUnit.SECONDS);
      receiver.awaitReceived(1, 30_000);
      assertTrue(receiver.accepted().get(0).pointCount() > 0, "points shipped over gRPC");

      HttpResponse<String> scrape =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:" + metrics.address().getPort() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, scrape.statusCode());
      assertTrue(scrape.body().contains("sandbox_name=\"devbox\""), scrape.body());

      ExporterStatus otlp = metrics.collector().status().exporters().get(0);
      assertEquals("otlp", otlp.name());
      assertTrue(otlp.exportsSuccess() > 0, otlp.toString());
    }
  }

  /** Exactly one OkHttp on the class path, of the version this build chose. */
  private static void assertOkHttpIsTheExpectedOne() throws Exception {
    String expected = System.getProperty("expected.okhttp");
    String found = (String) Class.forName("okhttp3.OkHttp").getField("VERSION").get(null);
    assertTrue(found.startsWith(expected), "OkHttp " + found + ", expected " + expected);
    List<URL> copies =
        Collections.list(
            LibraryExampleTest.class.getClassLoader().getResources("okhttp3/OkHttpClient.class"));
    assertEquals(1, copies.size(), "okhttp3.OkHttpClient on the class path: " + copies);
  }
}
