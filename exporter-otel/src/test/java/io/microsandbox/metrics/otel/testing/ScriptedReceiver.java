package io.microsandbox.metrics.otel.testing;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * What the gRPC and HTTP receivers share: the script of answers and the request log. Subclasses
 * give the transport's status codes for success, retryable and permanent failures.
 */
abstract class ScriptedReceiver implements OtlpTestReceiver {
  final ReceiverScript script;

  /** The answer to successful requests when a partial success was asked for, else null. */
  volatile ExportMetricsServiceResponse partialSuccess;

  private final int success;
  private final int retryable;
  private final int rejected;

  ScriptedReceiver(int success, int retryable, int rejected, int unauthenticated) {
    this.script = new ReceiverScript(success, unauthenticated);
    this.success = success;
    this.retryable = retryable;
    this.rejected = rejected;
  }

  /** Reports a partial success (rejected points, message) in every successful answer from now. */
  public void partialSuccess(long rejectedPoints, String message) {
    partialSuccess =
        ExportMetricsServiceResponse.newBuilder()
            .setPartialSuccess(
                ExportMetricsPartialSuccess.newBuilder()
                    .setRejectedDataPoints(rejectedPoints)
                    .setErrorMessage(message))
            .build();
  }

  /** Creates a server that throws {@link IOException} while binding. */
  interface Starter<T> {
    T start() throws IOException;
  }

  /** Starts a receiver, turning a failure to bind into an unchecked exception. */
  static <T extends ScriptedReceiver> T started(Starter<T> starter) {
    try {
      return starter.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public List<ReceivedRequest> received() {
    return script.received();
  }

  @Override
  public List<ReceivedRequest> accepted() {
    return script.accepted();
  }

  @Override
  public List<ReceivedRequest> awaitReceived(int count, long timeoutMs)
      throws InterruptedException {
    return script.awaitReceived(count, timeoutMs);
  }

  @Override
  public void clear() {
    script.clear();
  }

  @Override
  public void acceptNext(int times) {
    script.answerNext(times, success);
  }

  @Override
  public void failNextRetryable(int times) {
    script.answerNext(times, retryable);
  }

  @Override
  public void failNextRejected(int times) {
    script.answerNext(times, rejected);
  }

  @Override
  public void goDown() {
    script.answerAlways(retryable);
  }

  @Override
  public void recover() {
    script.answerAlways(success);
  }

  @Override
  public void hangNext(int times) {
    script.answerNext(times, ReceiverScript.HANG);
  }

  @Override
  public void requireHeader(String key, String value) {
    script.requireHeader(key, value);
  }
}
