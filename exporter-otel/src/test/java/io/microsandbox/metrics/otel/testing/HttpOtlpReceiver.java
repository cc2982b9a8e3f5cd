package io.microsandbox.metrics.otel.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/** The OTLP/HTTP protobuf receiver on the JDK's HTTP server (HTTPS when given certificates). */
public final class HttpOtlpReceiver extends ScriptedReceiver {
  private final HttpServer server;
  private final ExecutorService executor;
  private final String scheme;
  private final boolean discard;
  private volatile String retryAfter;

  private HttpOtlpReceiver(TestCertificates tls, boolean requireClientCertificate, boolean discard)
      throws IOException {
    super(200, 503, 400, 401);
    this.discard = discard;
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
    if (tls == null) {
      server = HttpServer.create(address, 0);
      scheme = "http";
    } else {
      HttpsServer https = HttpsServer.create(address, 0);
      SSLContext context = tls.serverSslContext();
      https.setHttpsConfigurator(
          new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
              SSLParameters p = context.getDefaultSSLParameters();
              p.setNeedClientAuth(requireClientCertificate);
              params.setSSLParameters(p);
            }
          });
      server = https;
      scheme = "https";
    }
    executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "test-otlp-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts a receiver; see {@link OtlpTestReceiver#start}. */
  public static HttpOtlpReceiver start(TestCertificates tls, boolean requireClientCertificate) {
    return started(() -> new HttpOtlpReceiver(tls, requireClientCertificate, false));
  }

  /** Starts a plaintext receiver that counts bodies without decoding them. */
  public static HttpOtlpReceiver startDiscarding() {
    return started(() -> new HttpOtlpReceiver(null, false, true));
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      Map<String, String> headers = new HashMap<>();
      exchange
          .getRequestHeaders()
          .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
      String encoding = headers.getOrDefault("content-encoding", "");
      int status = script.answerFor(headers);
      ExportMetricsServiceRequest request = null;
      long size;
      try (InputStream raw = exchange.getRequestBody();
          InputStream in = encoding.equalsIgnoreCase("gzip") ? new GZIPInputStream(raw) : raw) {
        if (discard) {
          size = in.transferTo(OutputStream.nullOutputStream());
        } else {
          byte[] body = in.readAllBytes();
          size = body.length;
          request = ExportMetricsServiceRequest.parseFrom(body);
        }
      } catch (IOException e) {
        size = 0;
        status = 400;
      }
      script.record(
          new ReceivedRequest(
              request,
              headers,
              encoding,
              exchange.getRequestURI().getPath(),
              status == ReceiverScript.HANG ? -1 : status,
              size));
      if (status == ReceiverScript.HANG) {
        script.hang();
        status = 503;
      }
      // OTLP/HTTP: success is an ExportMetricsServiceResponse, failure a google.rpc.Status
      ExportMetricsServiceResponse success =
          status / 100 == 2 && partialSuccess != null
              ? partialSuccess
              : ExportMetricsServiceResponse.getDefaultInstance();
      if (status / 100 != 2 && retryAfter != null) {
        exchange.getResponseHeaders().set("Retry-After", retryAfter);
      }
      byte[] response =
          status / 100 == 2
              ? success.toByteArray()
              : com.google.rpc.Status.newBuilder()
                  .setCode(status)
                  .setMessage("scripted by the test: " + status)
                  .build()
                  .toByteArray();
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(status, response.length == 0 ? -1 : response.length);
      if (response.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(response);
        }
      }
    } finally {
      exchange.close();
    }
  }

  @Override
  public String endpoint() {
    return scheme + "://127.0.0.1:" + port() + "/v1/metrics";
  }

  @Override
  public int port() {
    return server.getAddress().getPort();
  }

  /** Sends {@code Retry-After: value} with every failure from now on. */
  public void retryAfter(String value) {
    retryAfter = value;
  }

  /** Answers the next {@code times} requests with HTTP {@code status}. */
  public void failNext(int times, int status) {
    script.answerNext(times, status);
  }

  @Override
  public void close() {
    script.releaseHung();
    server.stop(0);
    executor.shutdownNow();
  }
}
