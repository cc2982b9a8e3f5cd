package io.microsandbox.metrics.otel.internal;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.GrpcSender;
import io.opentelemetry.sdk.common.export.GrpcSenderConfig;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import io.opentelemetry.sdk.common.export.MessageWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import javax.net.SocketFactory;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSink;

/**
 * The OTLP/gRPC transport: unary gRPC over OkHttp's HTTP/2 (the SDK's own client library) behind
 * the SDK's public {@link GrpcSender} SPI, in place of the SDK's OkHttp gRPC sender.
 *
 * <p>Why: the SDK's sender leaves Nagle's algorithm on, so every multi-megabyte request waits for a
 * delayed ACK (~30 ms each, see docs/benchmarks.md); here every socket has TCP_NODELAY. And the
 * SDK's sender drops the trailers' status details and the response message, so a {@code RetryInfo}
 * and a partial success could not reach the exporter; here they do.
 *
 * <p>Wire format (gRPC over HTTP/2): a 5-byte prefix (compressed flag, big-endian length) before
 * the protobuf message; the status in the {@code grpc-status} / {@code grpc-message} trailers (or
 * headers, for a trailers-only answer); {@code grpc-status-details-bin} a base64 {@code
 * google.rpc.Status} whose details may hold a {@code google.rpc.RetryInfo}.
 */
final class GrpcOkHttpSender implements GrpcSender {
  private static final MediaType GRPC = MediaType.get("application/grpc");
  private static final String RETRY_INFO_TYPE = "type.googleapis.com/google.rpc.RetryInfo";
  // an OTLP answer is a few bytes; anything far bigger is not one
  private static final int MAX_RESPONSE_BYTES = 1 << 20;

  private final OkHttpClient client;
  private final String url;
  private final GrpcSenderConfig config;
  private final Consumer<byte[]> successMessages;

  GrpcOkHttpSender(GrpcSenderConfig config, Consumer<byte[]> successMessages) {
    this.config = config;
    this.successMessages = successMessages;
    this.url = config.getEndpoint().resolve("/" + config.getFullMethodName()).toString();
    OkHttpClient.Builder b =
        new OkHttpClient.Builder()
            .callTimeout(config.getTimeout())
            .connectTimeout(config.getConnectTimeout())
            .socketFactory(new NoDelaySocketFactory());
    if (url.startsWith("http://")) {
      b.protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
    } else {
      b.protocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
      if (config.getSslContext() != null && config.getTrustManager() != null) {
        b.sslSocketFactory(config.getSslContext().getSocketFactory(), config.getTrustManager());
      }
    }
    this.client = b.build();
  }

  @Override
  public void send(
      MessageWriter writer, Consumer<GrpcResponse> onResponse, Consumer<Throwable> onError) {
    Request.Builder request =
        new Request.Builder()
            .url(url)
            .header("te", "trailers")
            .header("grpc-accept-encoding", "identity,gzip")
            .post(new MessageBody(writer, config.getCompressor()));
    if (config.getCompressor() != null) {
      request.header("grpc-encoding", config.getCompressor().getEncoding());
    }
    Map<String, List<String>> headers = config.getHeadersSupplier().get();
    if (headers != null) {
      headers.forEach((k, values) -> values.forEach(v -> request.addHeader(k, v)));
    }
    client
        .newCall(request.build())
        .enqueue(
            new Callback() {
              @Override
              public void onFailure(Call call, IOException e) {
                onError.accept(e);
              }

              @Override
              public void onResponse(Call call, Response response) {
                try (response) {
                  Answer answer = Answer.of(response);
                  if (answer.getStatusCode() == GrpcStatusCode.OK) {
                    successMessages.accept(answer.getResponseMessage());
                  }
                  onResponse.accept(answer);
                } catch (IOException | RuntimeException e) {
                  onError.accept(e);
                }
              }
            });
  }

  @Override
  public CompletableResultCode shutdown() {
    client.dispatcher().cancelAll();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
    return CompletableResultCode.ofSuccess();
  }

  /** The request: the length-prefixed (optionally compressed) message. */
  private static final class MessageBody extends RequestBody {
    private final MessageWriter writer;
    private final Compressor compressor;

    MessageBody(MessageWriter writer, Compressor compressor) {
      this.writer = writer;
      this.compressor = compressor;
    }

    @Override
    public MediaType contentType() {
      return GRPC;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      if (compressor == null) {
        sink.writeByte(0);
        sink.writeInt(writer.getContentLength());
        writer.writeMessage(sink.outputStream());
        return;
      }
      Buffer compressed = new Buffer();
      try (OutputStream out = compressor.compress(compressed.outputStream())) {
        writer.writeMessage(out);
      }
      sink.writeByte(1);
      sink.writeInt((int) compressed.size());
      sink.writeAll(compressed);
    }
  }

  /** A gRPC answer with what the SDK's own response type leaves out: the retry delay. */
  static final class Answer implements GrpcResponse {
    private final GrpcStatusCode status;
    private final String description;
    private final byte[] message;
    private final Optional<Duration> retryDelay;

    private Answer(
        GrpcStatusCode status, String description, byte[] message, Optional<Duration> d) {
      this.status = status;
      this.description = description;
      this.message = message;
      this.retryDelay = d;
    }

    static Answer of(Response response) throws IOException {
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
      GrpcStatusCode status = code != null ? statusOf(code) : fromHttp(response.code());
      String description =
          text != null ? percentDecode(text) : code == null ? "HTTP " + response.code() : "";
      // only an OK answer carries a message worth reading; a failed one (or a proxy's error page)
      // must not hide its status behind a framing error
      byte[] message =
          status == GrpcStatusCode.OK
              ? unframe(frames, "gzip".equals(response.header("grpc-encoding")))
              : new byte[0];
      return new Answer(status, description, message, retryDelay(details));
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

    @Override
    public GrpcStatusCode getStatusCode() {
      return status;
    }

    @Override
    public String getStatusDescription() {
      return description;
    }

    @Override
    public byte[] getResponseMessage() {
      return message;
    }

    /** The server's {@code RetryInfo.retry_delay}, if it sent one. */
    Optional<Duration> retryDelay() {
      return retryDelay;
    }

    private static GrpcStatusCode statusOf(String code) {
      try {
        GrpcStatusCode s = GrpcStatusCode.fromValue(Integer.parseInt(code.trim()));
        return s != null ? s : GrpcStatusCode.UNKNOWN;
      } catch (RuntimeException e) {
        return GrpcStatusCode.UNKNOWN;
      }
    }

    /** gRPC's mapping of an HTTP status without grpc-status (a proxy answered). */
    private static GrpcStatusCode fromHttp(int http) {
      switch (http) {
        case 400:
          return GrpcStatusCode.INTERNAL;
        case 401:
          return GrpcStatusCode.UNAUTHENTICATED;
        case 403:
          return GrpcStatusCode.PERMISSION_DENIED;
        case 404:
          return GrpcStatusCode.UNIMPLEMENTED;
        case 429:
        case 502:
        case 503:
        case 504:
          return GrpcStatusCode.UNAVAILABLE;
        default:
          return GrpcStatusCode.UNKNOWN;
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
        status =
            Base64.getDecoder().decode(detailsBin.replace("=", "").trim() + padding(detailsBin));
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
