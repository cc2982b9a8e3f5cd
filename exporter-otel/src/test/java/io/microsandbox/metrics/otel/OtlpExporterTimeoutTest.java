package io.microsandbox.metrics.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.ExportResult;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The request timeout is honoured above OkHttp's 10 s read / write defaults over gRPC (issue 9,
 * defect 2): against a backend that accepts the connection, reads everything and never answers, the
 * request fails after the configured time, not after 10 s. The test waits 11 s by design.
 */
@Timeout(40)
class OtlpExporterTimeoutTest {

  @Test
  void aGrpcRequestTimeoutAboveTenSecondsIsHonouredAgainstASilentBackend() throws Exception {
    List<Socket> accepted = new ArrayList<>();
    try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      Thread silent =
          new Thread(
              () -> {
                try {
                  while (true) {
                    Socket s = server.accept();
                    synchronized (accepted) {
                      accepted.add(s);
                    }
                    Thread reader = new Thread(() -> drain(s), "silent-backend-reader");
                    reader.setDaemon(true);
                    reader.start();
                  }
                } catch (java.io.IOException closed) {
                  // the test is over
                }
              },
              "silent-backend");
      silent.setDaemon(true);
      silent.start();
      OtlpExporter exporter =
          OtlpExporter.builder()
              .endpoint("http://127.0.0.1:" + server.getLocalPort())
              .protocol(OtlpProtocol.GRPC)
              .requestTimeout(Duration.ofSeconds(11))
              .build();
      try {
        long start = System.nanoTime();
        ExportResult r =
            exporter.export(OtlpExporterWireTest.TestBatches.twoCollectionsOfTwoSandboxes());
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(r.kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
        assertThat(r.message()).contains("timed out");
        assertThat(elapsedMs).as("failed after %d ms", elapsedMs).isBetween(10_800L, 20_000L);
      } finally {
        exporter.shutdown();
        synchronized (accepted) {
          for (Socket s : accepted) {
            s.close();
          }
        }
      }
    }
  }

  private static void drain(Socket s) {
    byte[] buf = new byte[8192];
    try (InputStream in = s.getInputStream()) {
      while (in.read(buf) >= 0) {
        // read and never answer
      }
    } catch (java.io.IOException closed) {
      // the test closed it
    }
  }
}
