package io.microsandbox.metrics.otel.testing;

import io.microsandbox.metrics.otel.OtlpProtocol;
import java.util.List;

/**
 * A real OTLP metrics receiver for tests, on 127.0.0.1 and an ephemeral port: decodes every request
 * with the official protobuf classes, records it, and answers as scripted (success, a given status
 * for the next N requests, a hang, a required header).
 *
 * <pre>
 *   try (OtlpTestReceiver r = OtlpTestReceiver.start(OtlpProtocol.GRPC, null, false)) {
 *     r.failNextRetryable(2);               // 503 / UNAVAILABLE twice, then success
 *     ... export to r.endpoint() ...
 *     r.awaitReceived(3, 10_000);
 *   }
 * </pre>
 */
public interface OtlpTestReceiver extends AutoCloseable {

  /**
   * Starts a receiver.
   *
   * @param protocol gRPC or HTTP/protobuf
   * @param tls the server's certificates for TLS, or null for plaintext
   * @param requireClientCertificate whether the TLS server demands a client certificate (mTLS)
   */
  static OtlpTestReceiver start(
      OtlpProtocol protocol, TestCertificates tls, boolean requireClientCertificate) {
    return protocol == OtlpProtocol.GRPC
        ? GrpcOtlpReceiver.start(tls, requireClientCertificate)
        : HttpOtlpReceiver.start(tls, requireClientCertificate);
  }

  /**
   * Starts a plaintext receiver that reads and counts request bodies without decoding them ({@link
   * ReceivedRequest#request()} is null), so that a benchmark measures the exporter, not the
   * receiver's protobuf parsing.
   */
  static OtlpTestReceiver startDiscarding(OtlpProtocol protocol) {
    return protocol == OtlpProtocol.GRPC
        ? GrpcOtlpReceiver.startDiscarding()
        : HttpOtlpReceiver.startDiscarding();
  }

  /**
   * The endpoint to give the exporter: {@code http(s)://127.0.0.1:PORT} for gRPC, {@code
   * http(s)://127.0.0.1:PORT/v1/metrics} for HTTP.
   */
  String endpoint();

  /** The port the receiver listens on. */
  int port();

  /** Every request received so far, in arrival order (whatever was answered). */
  List<ReceivedRequest> received();

  /** The requests answered with success, in arrival order. */
  List<ReceivedRequest> accepted();

  /** Waits until at least {@code count} requests arrived; fails the test after the timeout. */
  List<ReceivedRequest> awaitReceived(int count, long timeoutMs) throws InterruptedException;

  /** Forgets the requests received so far. */
  void clear();

  /**
   * Answers the next {@code times} requests with success, before the answers queued after this call
   * (for example {@code acceptNext(2); hangNext(1)}).
   */
  void acceptNext(int times);

  /** Answers the next {@code times} requests with a retryable failure (HTTP 503 / UNAVAILABLE). */
  void failNextRetryable(int times);

  /** Answers the next {@code times} requests with a permanent refusal (400 / INVALID_ARGUMENT). */
  void failNextRejected(int times);

  /** Answers every request from now on with a retryable failure until {@link #recover()}. */
  void goDown();

  /** Answers every request with success again. */
  void recover();

  /** Holds the next {@code times} requests without answering until the receiver closes. */
  void hangNext(int times);

  /** Answers requests without header {@code key: value} with 401 / UNAUTHENTICATED. */
  void requireHeader(String key, String value);

  /** Stops the receiver, releasing hung requests. */
  @Override
  void close();
}
