package io.microsandbox.metrics.otel.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * The OTLP/HTTP transport: one POST per request through the JDK {@code HttpClient} (HTTP/1.1, which
 * sets TCP_NODELAY on its sockets), the body handed over as the encoder's own array (or the reused
 * gzip buffer) without a copy.
 *
 * <p>The answer keeps what OTLP needs beyond the status: a 2xx body's partial success, an error
 * body's message, a {@code Retry-After} (seconds or an HTTP date).
 */
public final class HttpTransport implements OtlpTransport {
  // an OTLP answer is a few bytes, a proxy's error page a few KiB: a body announced as bigger
  // than 1 MiB is not read (a chunked one cannot be bounded without blocking the client)
  private static final HttpResponse.BodyHandler<byte[]> BOUNDED_BODY =
      info ->
          info.headers().firstValueAsLong("Content-Length").orElse(0) > (1 << 20)
              ? HttpResponse.BodySubscribers.replacing(new byte[0])
              : HttpResponse.BodySubscribers.ofByteArray();

  private final HttpClient client;
  private final URI endpoint;
  private final Map<String, String> headers;
  private final Duration requestTimeout;
  private final @Nullable GzipBuffer gzip;

  /**
   * Creates the transport; no connection is opened before the first request.
   *
   * @param endpoint the full URL requests are posted to
   * @param headers headers sent with every request
   * @param gzip whether bodies are gzip-compressed
   * @param requestTimeout the longest one request may take
   * @param connectTimeout the longest connecting may take
   * @param sslContext the TLS context, or null for the JVM's default
   */
  public HttpTransport(
      URI endpoint,
      Map<String, String> headers,
      boolean gzip,
      Duration requestTimeout,
      Duration connectTimeout,
      @Nullable SSLContext sslContext) {
    this.endpoint = endpoint;
    this.headers = Map.copyOf(headers);
    this.requestTimeout = requestTimeout;
    this.gzip = gzip ? new GzipBuffer() : null;
    HttpClient.Builder b =
        HttpClient.newBuilder()
            // OTLP/HTTP over plain http:// must not try an h2c upgrade some receivers refuse
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout);
    if (sslContext != null) {
      b.sslContext(sslContext);
    }
    this.client = b.build();
  }

  @Override
  public SendResult send(byte[] body, int length) throws InterruptedException {
    HttpRequest.BodyPublisher publisher;
    if (gzip != null) {
      gzip.compress(body, length);
      publisher = HttpRequest.BodyPublishers.ofByteArray(gzip.array(), 0, gzip.size());
    } else {
      publisher = HttpRequest.BodyPublishers.ofByteArray(body, 0, length);
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(endpoint)
            .timeout(requestTimeout)
            .header("Content-Type", "application/x-protobuf")
            .POST(publisher);
    if (gzip != null) {
      b.header("Content-Encoding", "gzip");
    }
    headers.forEach(b::header);
    CompletableFuture<HttpResponse<byte[]>> call;
    try {
      call = client.sendAsync(b.build(), BOUNDED_BODY);
    } catch (RuntimeException e) {
      return SendResult.failed(SendResult.Protocol.HTTP, e);
    }
    HttpResponse<byte[]> r;
    try {
      r = call.get();
    } catch (InterruptedException e) {
      call.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return SendResult.failed(SendResult.Protocol.HTTP, cause != null ? cause : e);
    }
    int status = r.statusCode();
    byte[] answer = r.body();
    if (status / 100 == 2) {
      return SendResult.answered(
          SendResult.Protocol.HTTP, status, "", Optional.empty(), PartialSuccess.parse(answer));
    }
    String message = ExportFailures.backendMessage(answer);
    return SendResult.answered(
        SendResult.Protocol.HTTP,
        status,
        message.isEmpty() ? "" : message.substring(1).trim(),
        r.headers().firstValue("Retry-After").flatMap(HttpTransport::parseRetryAfter),
        Optional.empty());
  }

  @Override
  public void close() {
    // HttpClient (JDK 17) has no close: its connections end with it, its threads are daemons
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
