package io.microsandbox.metrics.otel.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.zip.GZIPInputStream;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionSpec;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSink;
import org.jspecify.annotations.Nullable;

/**
 * The OTLP/gRPC transport: unary gRPC over OkHttp's HTTP/2, every socket with TCP_NODELAY (with
 * Nagle's algorithm a multi-megabyte request waits ~30 ms for a delayed ACK, see
 * docs/benchmarks.md), the request written from the encoder's own array (or the reused gzip
 * buffer).
 *
 * <p>Wire format (gRPC over HTTP/2): a 5-byte prefix (compressed flag, big-endian length) before
 * the protobuf message; the status in the {@code grpc-status} / {@code grpc-message} trailers (or
 * headers, for a trailers-only answer); {@code grpc-status-details-bin} a base64 {@code
 * google.rpc.Status} whose details may hold a {@code google.rpc.RetryInfo}; an OK answer's message
 * may hold a partial success.
 *
 * <p>Timeouts: the call, read and write timeouts are all the request timeout (OkHttp's own 10 s
 * read / write defaults would cut a longer one short); connecting has its own.
 */
public final class GrpcTransport implements OtlpTransport {
  private static final MediaType GRPC = MediaType.get("application/grpc");
  private static final String RETRY_INFO_TYPE = "type.googleapis.com/google.rpc.RetryInfo";
  private static final String METHOD =
      "opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
  // an OTLP answer is a few bytes; anything far bigger is not one
  private static final int MAX_RESPONSE_BYTES = 1 << 20;
  private static final int UNKNOWN = 2;
  private static final int PERMISSION_DENIED = 7;
  private static final int UNIMPLEMENTED = 12;
  private static final int INTERNAL = 13;
  private static final int UNAVAILABLE = 14;
  private static final int UNAUTHENTICATED = 16;

  private final OkHttpClient client;
  private final String url;
  private final Map<String, String> headers;
  private final @Nullable GzipBuffer gzip;

  /**
   * Creates the transport; no connection is opened before the first request.
   *
   * @param endpoint {@code http://host:port} (plaintext HTTP/2) or {@code https://host:port}
   * @param headers headers (gRPC metadata) sent with every request
   * @param gzip whether messages are gzip-compressed
   * @param requestTimeout the longest one request may take, also every read and write on it
   * @param connectTimeout the longest connecting may take
   * @param sslContext the TLS context, or null for the JVM's default
   * @param trustManager the trust manager of {@code sslContext}, or null
   */
  public GrpcTransport(
      URI endpoint,
      Map<String, String> headers,
      boolean gzip,
      Duration requestTimeout,
      Duration connectTimeout,
      @Nullable SSLContext sslContext,
      @Nullable X509TrustManager trustManager) {
    this.url = endpoint.resolve("/" + METHOD).toString();
    this.headers = Map.copyOf(headers);
    this.gzip = gzip ? new GzipBuffer() : null;
    OkHttpClient.Builder b =
        new OkHttpClient.Builder()
            .callTimeout(requestTimeout)
            .readTimeout(requestTimeout)
            .writeTimeout(requestTimeout)
            .connectTimeout(connectTimeout)
            .socketFactory(new NoDelaySocketFactory());
    if (url.startsWith("http://")) {
      // Cleartext only: OkHttp then sets up no TLS at all, instead of loading and parsing the
      // system's trust store at start (a few hundred classes, ~1 MB of heap kept for nothing).
      b.protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
          .connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
    } else {
      b.protocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
      if (sslContext != null && trustManager != null) {
        b.sslSocketFactory(sslContext.getSocketFactory(), trustManager);
      }
    }
    this.client = b.build();
  }

  /** Whether the transport's client holds a trust manager, i.e. set up TLS (for tests). */
  boolean setUpTls() {
    return client.x509TrustManager() != null;
  }

  /** The read and write timeout of the transport's client, milliseconds (for tests). */
  int readTimeoutMillis() {
    return client.readTimeoutMillis();
  }

  @Override
  public SendResult send(byte[] body, int length) throws InterruptedException {
    try {
      return call(body, length);
    } catch (LinkageError e) {
      // OkHttp, Okio or Kotlin of another version than the one this code was built for
      return SendResult.failed(SendResult.Protocol.GRPC, e);
    }
  }

  private SendResult call(byte[] body, int length) throws InterruptedException {
    Request.Builder request =
        new Request.Builder()
            .url(url)
            .header("te", "trailers")
            .header("grpc-accept-encoding", "identity,gzip");
    if (gzip != null) {
      gzip.compress(body, length);
      request.header("grpc-encoding", "gzip").post(new Message(gzip.array(), gzip.size(), true));
    } else {
      request.post(new Message(body, length, false));
    }
    headers.forEach(request::addHeader);
    CompletableFuture<SendResult> result = new CompletableFuture<>();
    Call call = client.newCall(request.build());
    call.enqueue(
        new Callback() {
          @Override
          public void onFailure(Call c, IOException e) {
            // a LinkageError on OkHttp's thread arrives here as a suppressed exception of e
            result.complete(SendResult.failed(SendResult.Protocol.GRPC, e));
          }

          @Override
          public void onResponse(Call c, Response response) {
            try (response) {
              result.complete(answer(response));
            } catch (IOException | RuntimeException | LinkageError e) {
              // a LinkageError too: OkHttp would rethrow it on its thread and never call back
              result.complete(SendResult.failed(SendResult.Protocol.GRPC, e));
            }
          }
        });
    try {
      return result.get();
    } catch (InterruptedException e) {
      call.cancel();
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return SendResult.failed(SendResult.Protocol.GRPC, cause != null ? cause : e);
    }
  }

  @Override
  public void close() {
    client.dispatcher().cancelAll();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  /** The request: the length-prefixed message, written from the caller's array. */
  private static final class Message extends RequestBody {
    private final byte[] bytes;
    private final int length;
    private final boolean compressed;

    Message(byte[] bytes, int length, boolean compressed) {
      this.bytes = bytes;
      this.length = length;
      this.compressed = compressed;
    }

    @Override
    public MediaType contentType() {
      return GRPC;
    }

    @Override
    public long contentLength() {
      return 5L + length;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      sink.writeByte(compressed ? 1 : 0);
      sink.writeInt(length);
      sink.write(bytes, 0, length);
    }
  }

  /** The typed result of a gRPC answer. */
  static SendResult answer(Response response) throws IOException {
    ResponseBody body = response.body();
    byte[] frames = body == null ? new byte[0] : readAtMost(body, MAX_RESPONSE_BYTES);
    // a trailers-only answer carries the status in the headers
    String code = response.header("grpc-status");
    String text = response.header("grpc-message");
    String details = response.header("grpc-status-details-bin");
    if (code == null) {
      code = response.trailers().get("grpc-status");
      text = response.trailers().get("grpc-message");
      details = response.trailers().get("grpc-status-details-bin");
    }
    int status = code != null ? statusOf(code) : fromHttp(response.code());
    String description =
        text != null ? percentDecode(text) : code == null ? "HTTP " + response.code() : "";
    // only an OK answer carries a message worth reading; a failed one (or a proxy's error page)
    // must not hide its status behind a framing error
    Optional<PartialSuccess> partial =
        status == SendResult.GRPC_OK
            ? PartialSuccess.parse(unframe(frames, "gzip".equals(response.header("grpc-encoding"))))
            : Optional.empty();
    return SendResult.answered(
        SendResult.Protocol.GRPC, status, description, retryDelay(details), partial);
  }

  private static byte[] readAtMost(ResponseBody body, int max) throws IOException {
    try (InputStream in = body.byteStream()) {
      byte[] bytes = in.readNBytes(max + 1);
      if (bytes.length > max) {
        throw new IOException("gRPC response larger than " + max + " bytes");
      }
      return bytes;
    }
  }

  private static int statusOf(String code) {
    try {
      int s = Integer.parseInt(code.trim());
      return s >= 0 && s <= 16 ? s : UNKNOWN;
    } catch (RuntimeException e) {
      return UNKNOWN;
    }
  }

  /** gRPC's mapping of an HTTP status without grpc-status (a proxy answered). */
  private static int fromHttp(int http) {
    switch (http) {
      case 400:
        return INTERNAL;
      case 401:
        return UNAUTHENTICATED;
      case 403:
        return PERMISSION_DENIED;
      case 404:
        return UNIMPLEMENTED;
      case 429:
      case 502:
      case 503:
      case 504:
        return UNAVAILABLE;
      default:
        return UNKNOWN;
    }
  }

  private static byte[] unframe(byte[] frames, boolean gzip) throws IOException {
    if (frames.length < 5) {
      return new byte[0];
    }
    int length =
        ((frames[1] & 0xff) << 24)
            | ((frames[2] & 0xff) << 16)
            | ((frames[3] & 0xff) << 8)
            | (frames[4] & 0xff);
    if (length < 0 || 5 + length > frames.length) {
      throw new IOException("invalid gRPC response frame");
    }
    byte[] message = new byte[length];
    System.arraycopy(frames, 5, message, 0, length);
    if (frames[0] == 1 && gzip) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(message))) {
        return in.readAllBytes();
      }
    }
    return message;
  }

  /** {@code RetryInfo.retry_delay} from a base64 {@code google.rpc.Status}, if present. */
  static Optional<Duration> retryDelay(String detailsBin) {
    if (detailsBin == null || detailsBin.isEmpty()) {
      return Optional.empty();
    }
    byte[] status;
    try {
      status = Base64.getDecoder().decode(detailsBin.replace("=", "").trim() + padding(detailsBin));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    // google.rpc.Status { repeated google.protobuf.Any details = 3; }
    ProtoFields fields = new ProtoFields(status, 0, status.length);
    while (fields.next()) {
      if (fields.field() == 3 && fields.isBytes()) {
        ProtoFields any = fields.nested();
        String type = null;
        ProtoFields value = null;
        while (any.next()) {
          if (any.field() == 1 && any.isBytes()) {
            type = any.string();
          } else if (any.field() == 2 && any.isBytes()) {
            value = any.nested();
          }
        }
        if (RETRY_INFO_TYPE.equals(type) && value != null) {
          return delay(value);
        }
      }
    }
    return Optional.empty();
  }

  private static String padding(String base64) {
    int n = base64.replace("=", "").trim().length() % 4;
    return n == 2 ? "==" : n == 3 ? "=" : "";
  }

  // RetryInfo { google.protobuf.Duration retry_delay = 1; } Duration { seconds = 1; nanos = 2; }
  private static Optional<Duration> delay(ProtoFields retryInfo) {
    while (retryInfo.next()) {
      if (retryInfo.field() == 1 && retryInfo.isBytes()) {
        ProtoFields d = retryInfo.nested();
        long seconds = 0;
        long nanos = 0;
        while (d.next()) {
          if (d.field() == 1 && !d.isBytes()) {
            seconds = d.varint();
          } else if (d.field() == 2 && !d.isBytes()) {
            nanos = d.varint();
          }
        }
        Duration delay = Duration.ofSeconds(seconds, nanos);
        return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
      }
    }
    return Optional.empty();
  }

  /** gRPC's percent-encoding of grpc-message (only %XX escapes; '+' is literal). */
  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          out.write((hi << 4) | lo);
          i += 2;
          continue;
        }
      }
      out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Plain sockets with Nagle's algorithm off (TLS sockets are layered on these). */
  private static final class NoDelaySocketFactory extends SocketFactory {
    private final SocketFactory plain = SocketFactory.getDefault();

    @Override
    public Socket createSocket() throws IOException {
      return noDelay(plain.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return noDelay(plain.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress local, int localPort)
        throws IOException {
      return noDelay(plain.createSocket(host, port, local, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return noDelay(plain.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort)
        throws IOException {
      return noDelay(plain.createSocket(host, port, local, localPort));
    }

    private static Socket noDelay(Socket s) throws IOException {
      s.setTcpNoDelay(true);
      return s;
    }
  }
}
