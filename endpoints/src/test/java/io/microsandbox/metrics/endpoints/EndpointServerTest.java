package io.microsandbox.metrics.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.collector.testing.OurThreads;
import io.microsandbox.metrics.collector.testing.RecordingExporter;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP server over real loopback sockets. */
@Timeout(30)
class EndpointServerTest {
  private static final InetSocketAddress ANY_PORT =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  private RunningCollector running;
  private Endpoints endpoints;

  @BeforeEach
  void start() throws Exception {
    running =
        MetricsCollector.builder()
            .collectInterval(Duration.ofMillis(20))
            .source(List::<SandboxSnapshot>of)
            .register(new RecordingExporter("rec"))
            .build()
            .start();
    endpoints =
        Endpoints.builder(running).route("/metrics", a -> Response.text(200, "metric_a 1")).build();
    assertThat(OurThreads.await(() -> running.status().collections() > 0, 5_000)).isTrue();
  }

  @AfterEach
  void stop() {
    running.close();
  }

  /** Sends {@code request} raw and returns the whole answer. */
  private static String exchange(InetSocketAddress at, String request) throws IOException {
    try (Socket s = new Socket(at.getAddress(), at.getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      in.transferTo(b);
      return b.toString(StandardCharsets.UTF_8);
    }
  }

  private static String get(InetSocketAddress at, String path) throws IOException {
    return exchange(at, "GET " + path + " HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n");
  }

  @Test
  void servesEveryEndpointOverHttp() throws Exception {
    try (EndpointServer server = EndpointServer.start(ANY_PORT, endpoints)) {
      InetSocketAddress at = server.address();
      assertThat(get(at, "/-/healthy"))
          .startsWith("HTTP/1.1 200 OK\r\n")
          .contains("Content-Type: text/plain; charset=utf-8\r\n")
          .contains("Content-Length: 3\r\n")
          .contains("Connection: close\r\n")
          .endsWith("\r\n\r\nok\n");
      assertThat(get(at, "/-/ready")).startsWith("HTTP/1.1 200 ").endsWith("ready\n");
      assertThat(get(at, "/metrics")).startsWith("HTTP/1.1 200 ").endsWith("metric_a 1\n");
      assertThat(get(at, "/status")).startsWith("HTTP/1.1 200 ").contains("\"exporters\"");
      assertThat(get(at, "/nope")).startsWith("HTTP/1.1 404 ");
      assertThat(exchange(at, "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n"))
          .startsWith("HTTP/1.1 405 ")
          .contains("Allow: GET, HEAD\r\n");
      assertThat(exchange(at, "garbage\r\n\r\n")).startsWith("HTTP/1.1 400 ");
      assertThat(exchange(at, "GET /" + "a".repeat(9000) + " HTTP/1.1\r\n\r\n"))
          .startsWith("HTTP/1.1 431 ");
    }
    assertThat(
            OurThreads.await(
                () -> OurThreads.alive().stream().noneMatch(n -> n.contains("http")), 5_000))
        .as("server threads left: %s", OurThreads.alive())
        .isTrue();
  }

  @Test
  void headGetsTheGetAnswerWithoutItsBody() throws Exception {
    try (EndpointServer server = EndpointServer.start(ANY_PORT, endpoints)) {
      String answer = exchange(server.address(), "HEAD /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(answer)
          .startsWith("HTTP/1.1 200 OK\r\n")
          .contains("Content-Length: 3\r\n")
          .endsWith("\r\n\r\n");
      assertThat(exchange(server.address(), "HEAD /metrics HTTP/1.1\r\n\r\n"))
          .startsWith("HTTP/1.1 200 ")
          .contains("Content-Length: 11\r\n")
          .endsWith("\r\n\r\n");
    }
  }

  @Test
  void anAbsoluteFormTargetIsServedByItsPath() throws Exception {
    try (EndpointServer server = EndpointServer.start(ANY_PORT, endpoints)) {
      InetSocketAddress at = server.address();
      String host = "127.0.0.1:" + at.getPort();
      assertThat(get(at, "http://" + host + "/metrics"))
          .startsWith("HTTP/1.1 200 ")
          .endsWith("metric_a 1\n");
      assertThat(get(at, "HTTP://" + host + "/-/healthy?x=1")).startsWith("HTTP/1.1 200 ");
      assertThat(get(at, "http://" + host)).startsWith("HTTP/1.1 404 ");
      assertThat(get(at, "*")).startsWith("HTTP/1.1 400 ");
    }
  }

  @Test
  void aPortInUseFailsToStartWithABindException() throws Exception {
    try (EndpointServer first = EndpointServer.start(ANY_PORT, endpoints)) {
      assertThatThrownBy(() -> EndpointServer.start(first.address(), endpoints))
          .isInstanceOf(BindException.class);
    }
  }

  @Test
  void slowClientsCannotStallTheServer() throws Exception {
    try (EndpointServer server =
        EndpointServer.bind(ANY_PORT, Duration.ofMillis(300), Duration.ofSeconds(10))
            .serve(endpoints)) {
      InetSocketAddress at = server.address();
      List<Socket> slow = new ArrayList<>();
      try {
        // more silent or trickling clients than the server has threads
        for (int i = 0; i < 12; i++) {
          Socket s = new Socket(at.getAddress(), at.getPort());
          s.getOutputStream().write("GET /-/hea".getBytes(StandardCharsets.ISO_8859_1));
          slow.add(s);
        }
        long start = System.nanoTime();
        assertThat(get(at, "/-/healthy")).startsWith("HTTP/1.1 200 ");
        // answered once the head timeout cut the slow ones off, not when they gave up
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        // and the slow ones got a 408, not a hang
        slow.get(0).setSoTimeout(5_000);
        String answer =
            new String(slow.get(0).getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(answer).startsWith("HTTP/1.1 408 ");
      } finally {
        for (Socket s : slow) {
          s.close();
        }
      }
    }
  }
}
