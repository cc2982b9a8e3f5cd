package io.microsandbox.metrics.otel.testing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What a test receiver answers, shared by the gRPC and HTTP receivers: queued answers for the next
 * requests (a status, or "hang"), a required header, and the log of every request. Thread-safe.
 */
final class ReceiverScript {
  /** Marker answer: hold the request until the receiver is closed or released. */
  static final int HANG = Integer.MIN_VALUE;

  private final Deque<Integer> queued = new ArrayDeque<>();
  private final List<ReceivedRequest> received = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private String requiredHeader;
  private String requiredValue;
  private int defaultAnswer;
  private final int success;
  private final int missingHeader;

  ReceiverScript(int success, int missingHeader) {
    this.success = success;
    this.missingHeader = missingHeader;
    this.defaultAnswer = success;
  }

  synchronized void answerNext(int times, int status) {
    for (int i = 0; i < times; i++) {
      queued.add(status);
    }
  }

  synchronized void answerAlways(int status) {
    queued.clear();
    defaultAnswer = status;
  }

  synchronized void requireHeader(String key, String value) {
    requiredHeader = key.toLowerCase(Locale.ROOT);
    requiredValue = value;
  }

  /** The answer to a request with these headers; consumes one queued answer. */
  synchronized int answerFor(Map<String, String> headers) {
    if (requiredHeader != null && !requiredValue.equals(headers.get(requiredHeader))) {
      return missingHeader;
    }
    Integer next = queued.poll();
    return next != null ? next : defaultAnswer;
  }

  void hang() {
    try {
      release.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void releaseHung() {
    release.countDown();
  }

  synchronized void record(ReceivedRequest r) {
    received.add(r);
    notifyAll();
  }

  synchronized List<ReceivedRequest> received() {
    return List.copyOf(received);
  }

  synchronized List<ReceivedRequest> accepted() {
    List<ReceivedRequest> out = new ArrayList<>();
    for (ReceivedRequest r : received) {
      if (r.answeredStatus() == success) {
        out.add(r);
      }
    }
    return out;
  }

  synchronized void clear() {
    received.clear();
  }

  synchronized List<ReceivedRequest> awaitReceived(int count, long timeoutMs)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (received.size() < count) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        throw new AssertionError(
            "expected " + count + " requests within " + timeoutMs + " ms, got " + received.size());
      }
      wait(left);
    }
    return List.copyOf(received);
  }
}
