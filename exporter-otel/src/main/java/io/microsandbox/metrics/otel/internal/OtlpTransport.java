package io.microsandbox.metrics.otel.internal;

/**
 * Carries one encoded OTLP request to the backend and returns what came back. Implementations:
 * {@link HttpTransport} (JDK {@code HttpClient}), {@link GrpcTransport} (OkHttp, HTTP/2). One
 * request at a time; the body array is only read during {@link #send}.
 */
public interface OtlpTransport extends AutoCloseable {

  /**
   * Sends {@code length} protobuf bytes of {@code body} (compressing them if configured) and waits
   * for the answer, at most the configured request timeout.
   *
   * @return the typed result; transport failures are results too, never exceptions
   * @throws InterruptedException when the calling thread is interrupted (the request is cancelled)
   */
  SendResult send(byte[] body, int length) throws InterruptedException;

  /** Closes connections and threads. */
  @Override
  void close();
}
