package io.microsandbox.metrics.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.collector.testing.OurThreads;
import io.microsandbox.metrics.collector.testing.RecordingExporter;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 21 point 4: the case that stalled the old thread-per-connection server. 100 clients trickle
 * their request heads (reopening when cut off) and 8 clients ask for a large {@code /metrics} (the
 * size of a 5,000-sandbox exposition) and never read it, while a normal client probes {@code
 * /-/healthy} and scrapes {@code /metrics}.
 */
@Timeout(60)
class EndpointServerStarvationTest {
  private static final InetSocketAddress ANY_PORT =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  // about what 5,000 sandboxes expose (12 series of ~100 bytes each)
  private static final byte[] LARGE_EXPOSITION = exposition(6 * 1024 * 1024);
  private static final int TRICKLERS = 100;
  private static final int NON_READERS = 8;
  // generous against a loaded CI machine; the old server took 8-30 s
  private static final Duration PROBE_BOUND = Duration.ofSeconds(1);

  private RunningCollector running;
  private final AtomicInteger scrapes = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    running =
        MetricsCollector.builder()
            .collectInterval(Duration.ofMillis(50))
            .source(List::<SandboxSnapshot>of)
            .register(new RecordingExporter("rec"))
            .build()
            .start();
    assertThat(OurThreads.await(() -> running.status().collections() > 0, 10_000)).isTrue();
  }

  @AfterEach
  void stop() {
    running.close();
  }

  @Test
  void probesAndScrapesAreServedWhileSlowAndSilentClientsHoldConnections() throws Exception {
    Endpoints endpoints =
        Endpoints.builder(running)
            .unhealthyAfter(Duration.ofMinutes(1)) // a loaded machine must not fail the probe
            .route(
                "/metrics",
                accept -> {
                  scrapes.incrementAndGet();
                  return new Response(200, "text/plain; version=0.0.4", LARGE_EXPOSITION);
                })
            .build();
    AtomicBoolean stop = new AtomicBoolean();
    List<Socket> nonReaders = new ArrayList<>();
    Thread trickler = null;
    try (EndpointServer server = EndpointServer.start(ANY_PORT, endpoints)) {
      InetSocketAddress at = server.address();
      for (int i = 0; i < NON_READERS; i++) {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096); // before connecting, so the window stays small
        s.connect(at, 5_000);
        s.getOutputStream()
            .write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        nonReaders.add(s);
      }
      // the silent scrapers' answers are being written (or they wait for a thread)
      assertThat(OurThreads.await(() -> scrapes.get() >= 4, 20_000)).isTrue();
      AtomicInteger tricklersConnected = new AtomicInteger();
      trickler = new Thread(() -> trickle(at, stop, tricklersConnected), "test-trickler");
      trickler.setDaemon(true);
      trickler.start();
      assertThat(OurThreads.await(() -> tricklersConnected.get() >= TRICKLERS, 20_000)).isTrue();

      Duration slowest = Duration.ZERO;
      for (int i = 0; i < 10; i++) {
        long started = System.nanoTime();
        String answer = get(at, "/-/healthy", 5_000);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(answer).as("probe %d", i).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nok\n");
        assertThat(took).as("probe %d", i).isLessThan(PROBE_BOUND);
        slowest = took.compareTo(slowest) > 0 ? took : slowest;
      }
      // a figure for docs/limits.md, not an assertion on speed
      System.out.printf(
          "slowest of 10 probes under %d trickling and %d silent clients: %d ms%n",
          TRICKLERS, NON_READERS, slowest.toMillis());
      String scrape = get(at, "/metrics", 20_000);
      assertThat(scrape).startsWith("HTTP/1.1 200 ");
      assertThat(scrape.length()).isGreaterThan(LARGE_EXPOSITION.length);
    } finally {
      stop.set(true);
      if (trickler != null) {
        trickler.join(10_000);
      }
      for (Socket s : nonReaders) {
        s.close();
      }
    }
  }

  @Test
  void clientsThatNeverReadTheirScrapeHoldAtMostTheRouteAnswerLimit() throws Exception {
    Endpoints endpoints =
        Endpoints.builder(running)
            .route(
                "/metrics",
                accept -> {
                  scrapes.incrementAndGet();
                  return new Response(200, "text/plain; version=0.0.4", LARGE_EXPOSITION);
                })
            .build();
    int silent = EndpointServer.MAX_ROUTE_ANSWERS + 8;
    List<Socket> nonReaders = new ArrayList<>();
    try (EndpointServer server = EndpointServer.start(ANY_PORT, endpoints)) {
      InetSocketAddress at = server.address();
      for (int i = 0; i < silent; i++) {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(at, 5_000);
        s.getOutputStream()
            .write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        nonReaders.add(s);
        int asked = i + 1;
        // one at a time: a burst beyond the route queue would be answered 503 instead
        assertThat(OurThreads.await(() -> scrapes.get() >= asked, 20_000)).isTrue();
      }
      assertThat(
              OurThreads.await(
                  () -> server.routeAnswersInFlight() == EndpointServer.MAX_ROUTE_ANSWERS, 20_000))
          .as("the oldest silent scrapers were closed, the newest are being written")
          .isTrue();
      // and a client that reads gets its scrape
      String scrape = get(at, "/metrics", 20_000);
      assertThat(scrape).startsWith("HTTP/1.1 200 ");
      assertThat(server.routeAnswersInFlight())
          .isLessThanOrEqualTo(EndpointServer.MAX_ROUTE_ANSWERS);
    } finally {
      for (Socket s : nonReaders) {
        s.close();
      }
    }
  }

  /** Keeps {@value #TRICKLERS} connections sending one byte of a request head at a time. */
  private static void trickle(InetSocketAddress at, AtomicBoolean stop, AtomicInteger connected) {
    byte[] head = "GET /-/healthy HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII);
    Socket[] sockets = new Socket[TRICKLERS];
    int[] sent = new int[TRICKLERS];
    try {
      while (!stop.get()) {
        for (int i = 0; i < TRICKLERS && !stop.get(); i++) {
          try {
            if (sockets[i] == null) {
              sockets[i] = new Socket();
              sockets[i].connect(at, 2_000);
              sent[i] = 0;
              connected.incrementAndGet();
            }
            OutputStream out = sockets[i].getOutputStream();
            out.write(head[sent[i] % head.length]); // never the blank line that ends the head
            out.flush();
            sent[i]++;
          } catch (IOException e) {
            closeQuietly(sockets[i]); // cut off by the server: reopen on the next round
            sockets[i] = null;
          }
        }
        try {
          Thread.sleep(50); // the trickle's pace, not a synchronisation
        } catch (InterruptedException e) {
          return;
        }
      }
    } finally {
      for (Socket s : sockets) {
        closeQuietly(s);
      }
    }
  }

  private static String get(InetSocketAddress at, String path, int timeoutMs) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(at, timeoutMs);
      s.setSoTimeout(timeoutMs);
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      in.transferTo(b);
      return b.toString(StandardCharsets.UTF_8);
    }
  }

  private static byte[] exposition(int size) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) 'a');
    for (int i = 99; i < size; i += 100) {
      b[i] = '\n';
    }
    return b;
  }

  private static void closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }
}
