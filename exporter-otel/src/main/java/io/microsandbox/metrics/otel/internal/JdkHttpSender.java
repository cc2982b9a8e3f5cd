package io.microsandbox.metrics.otel.internal;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The OTLP/HTTP transport: the JDK's {@link HttpClient} behind the SDK's public {@link HttpSender}
 * SPI, in place of the SDK's OkHttp sender.
 *
 * <p>Why: the JDK client sets TCP_NODELAY, where OkHttp's socket leaves Nagle's algorithm on and
 * every multi-megabyte request then waits for a delayed ACK (~25 ms each, see docs/benchmarks.md);
 * and the JDK response keeps its headers, so a {@code Retry-After} reaches {@link ExportFailures},
 * and its body, so a 2xx partial success reaches the exporter (the SDK itself reads neither).
 */
final class JdkHttpSender implements HttpSender {
  // an OTLP answer is a few bytes, a proxy's error page a few KiB: a body announced as bigger
  // than 1 MiB is not read (a chunked one cannot be bounded without blocking the client)
  private static final java.net.http.HttpResponse.BodyHandler<byte[]> BOUNDED_BODY =
      info ->
          info.headers().firstValueAsLong("Content-Length").orElse(0) > (1 << 20)
              ? java.net.http.HttpResponse.BodySubscribers.replacing(new byte[0])
              : java.net.http.HttpResponse.BodySubscribers.ofByteArray();

  private final HttpClient client;
  private final HttpSenderConfig config;
  private final Consumer<byte[]> successBodies;

  JdkHttpSender(HttpSenderConfig config, Consumer<byte[]> successBodies) {
    this.config = config;
    this.successBodies = successBodies;
    HttpClient.Builder b =
        HttpClient.newBuilder()
            // OTLP/HTTP over plain http:// must not try an h2c upgrade some receivers refuse
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(config.getConnectTimeout());
    if (config.getSslContext() != null) {
      b.sslContext(config.getSslContext());
    }
    if (config.getProxyOptions() != null) {
      b.proxy(config.getProxyOptions().getProxySelector());
    }
    if (config.getExecutorService() != null) {
      b.executor(config.getExecutorService());
    }
    this.client = b.build();
  }

  @Override
  public void send(
      MessageWriter writer, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
    HttpRequest request;
    try {
      request = request(writer);
    } catch (IOException | RuntimeException e) {
      onError.accept(e);
      return;
    }
    client
        .sendAsync(request, BOUNDED_BODY)
        .whenComplete(
            (response, error) -> {
              if (error != null) {
                onError.accept(error instanceof CompletionException ? error.getCause() : error);
                return;
              }
              if (response.statusCode() / 100 == 2) {
                successBodies.accept(response.body());
              }
              onResponse.accept(new JdkHttpResponse(response));
            });
  }

  private HttpRequest request(MessageWriter writer) throws IOException {
    Buffer body = new Buffer(Math.max(256, writer.getContentLength()));
    Compressor compressor = config.getCompressor();
    if (compressor == null) {
      writer.writeMessage(body);
    } else {
      try (OutputStream out = compressor.compress(body)) {
        writer.writeMessage(out);
      }
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(config.getEndpoint())
            .timeout(config.getTimeout())
            .header("Content-Type", config.getContentType())
            .POST(body.publisher());
    if (compressor != null) {
      b.header("Content-Encoding", compressor.getEncoding());
    }
    Map<String, List<String>> headers = config.getHeadersSupplier().get();
    if (headers != null) {
      headers.forEach((k, values) -> values.forEach(v -> b.header(k, v)));
    }
    return b.build();
  }

  @Override
  public CompletableResultCode shutdown() {
    // HttpClient (JDK 17) has no close: its connections end with it, its threads are daemons
    return CompletableResultCode.ofSuccess();
  }

  /** The request body, handed to the client without the copy {@code toByteArray} would make. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer(int size) {
      super(size);
    }

    HttpRequest.BodyPublisher publisher() {
      return HttpRequest.BodyPublishers.ofByteArray(buf, 0, count);
    }
  }

  /** An HTTP response that keeps the {@code Retry-After} hint. */
  static final class JdkHttpResponse implements HttpResponse {
    private final int status;
    private final byte[] body;
    private final Optional<Duration> retryAfter;

    JdkHttpResponse(java.net.http.HttpResponse<byte[]> r) {
      this.status = r.statusCode();
      this.body = r.body();
      this.retryAfter =
          r.headers().firstValue("Retry-After").flatMap(JdkHttpResponse::parseRetryAfter);
    }

    @Override
    public int getStatusCode() {
      return status;
    }

    @Override
    public String getStatusMessage() {
      return ""; // HTTP/1.1 reason phrases are not exposed by the JDK client
    }

    @Override
    public byte[] getResponseBody() {
      return body;
    }

    /** The server's {@code Retry-After}, if it sent a valid one. */
    Optional<Duration> retryAfter() {
      return retryAfter;
    }

    /** Delta-seconds or an HTTP-date (RFC 9110), relative to now; negative counts as zero. */
    static Optional<Duration> parseRetryAfter(String value) {
      String v = value.trim();
      try {
        return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
      } catch (NumberFormatException e) {
        // not seconds: try a date
      }
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
  }
}
