package io.microsandbox.metrics.collector;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one {@link MetricsExporter#export} call. Immutable.
 *
 * <p>Three kinds: {@link Kind#SUCCESS} (the batch is done), {@link Kind#RETRYABLE} (the batch goes
 * back to the front of the buffer and is retried after backoff, or after the backend's retry-after
 * hint when that is longer), and {@link Kind#REJECTED} (the backend refused the batch as it is; it
 * is dropped and counted, never retried).
 *
 * <p>A failure can say that the backend accepted the batch's first collections before it ({@link
 * #afterAccepting}): an exporter that splits a batch into several requests, some of them delivered
 * when a later one fails or the export times out. Those collections leave the buffer as delivered;
 * only the rest are retried (or dropped, when rejected).
 */
public final class ExportResult {

  /** What happened to the batch. */
  public enum Kind {
    /** The backend accepted the batch (possibly partially, see {@link #rejectedPoints()}). */
    SUCCESS,
    /** A transient failure: restore the batch and retry later. */
    RETRYABLE,
    /** A permanent failure: drop the batch. */
    REJECTED
  }

  private final Kind kind;
  private final long exportedPoints;
  private final long rejectedPoints;
  private final String message;
  private final @Nullable Duration retryAfter;
  private final int acceptedCollections;
  private final Ending ending;

  /** What a dropped batch says about the exporter's future: nothing, output closed, unusable. */
  private enum Ending {
    NONE,
    CLOSED,
    FATAL
  }

  private ExportResult(
      Kind kind,
      long exportedPoints,
      long rejectedPoints,
      String message,
      @Nullable Duration retryAfter) {
    this(kind, exportedPoints, rejectedPoints, message, retryAfter, 0, Ending.NONE);
  }

  private ExportResult(
      Kind kind,
      long exportedPoints,
      long rejectedPoints,
      String message,
      @Nullable Duration retryAfter,
      int acceptedCollections,
      Ending ending) {
    this.kind = kind;
    this.exportedPoints = exportedPoints;
    this.rejectedPoints = rejectedPoints;
    this.message = message;
    this.retryAfter = retryAfter;
    this.acceptedCollections = acceptedCollections;
    this.ending = ending;
  }

  /**
   * The backend accepted the batch.
   *
   * @param exportedPoints data points sent (for collector telemetry; 0 if not counted)
   */
  public static ExportResult success(long exportedPoints) {
    return new ExportResult(Kind.SUCCESS, exportedPoints, 0, "", null);
  }

  /**
   * The backend accepted the batch but reported that some points were rejected (OTLP partial
   * success); the batch is not retried.
   */
  public static ExportResult partialSuccess(
      long exportedPoints, long rejectedPoints, String message) {
    return new ExportResult(
        Kind.SUCCESS, exportedPoints, rejectedPoints, Objects.requireNonNull(message), null);
  }

  /** A transient failure; the batch is restored and retried with the worker's backoff. */
  public static ExportResult retryable(String message) {
    return new ExportResult(Kind.RETRYABLE, 0, 0, Objects.requireNonNull(message), null);
  }

  /**
   * A transient failure with the backend's own hint (HTTP Retry-After, gRPC RetryInfo) of how long
   * to wait; the worker waits at least that long before the next scheduled attempt.
   */
  public static ExportResult retryable(String message, Duration retryAfter) {
    return new ExportResult(
        Kind.RETRYABLE,
        0,
        0,
        Objects.requireNonNull(message),
        Objects.requireNonNull(retryAfter, "retryAfter"));
  }

  /** The backend refused the batch permanently (for example HTTP 400); it is dropped. */
  public static ExportResult rejected(String message) {
    return new ExportResult(Kind.REJECTED, 0, 0, Objects.requireNonNull(message), null);
  }

  /**
   * The exporter's own output is gone for good (the reader of a pipe exited, a full disk): it
   * writes nothing more. Dropped and counted like {@link #rejected}, but not logged as an error:
   * whoever owns that output (the command printing to it) reports it once and stops.
   */
  public static ExportResult closed(String message) {
    return new ExportResult(
        Kind.REJECTED, 0, 0, Objects.requireNonNull(message), null, 0, Ending.CLOSED);
  }

  /** Whether this is a {@link #closed} output rather than a backend's refusal. */
  public boolean isClosed() {
    return ending == Ending.CLOSED;
  }

  /**
   * The exporter cannot work in this JVM and never will until the application is fixed and
   * restarted: typically a {@link LinkageError} ({@code NoSuchMethodError}, {@code
   * NoClassDefFoundError}) because a library it needs is missing or of another version. The worker
   * stops that exporter for good: one ERROR with {@code message} (which should name the library,
   * the version found and the version needed), the message in {@code status()}, never retried. The
   * batch is not exported; a spool keeps it for the next start. Other exporters keep running.
   */
  public static ExportResult fatal(String message) {
    return new ExportResult(
        Kind.REJECTED, 0, 0, Objects.requireNonNull(message), null, 0, Ending.FATAL);
  }

  /** Whether this is a {@link #fatal} failure: the exporter is stopped for good. */
  public boolean isFatal() {
    return ending == Ending.FATAL;
  }

  /**
   * This failure, noting that the backend had accepted the batch's first {@code collections}
   * collections ({@code exportedPoints} points) before it failed: they leave the buffer as
   * delivered, and only the rest are restored (retryable) or dropped (rejected).
   *
   * @throws IllegalStateException on a success (all of its collections are accepted)
   * @throws IllegalArgumentException when a count is negative
   */
  public ExportResult afterAccepting(int collections, long exportedPoints) {
    if (kind == Kind.SUCCESS) {
      throw new IllegalStateException("a success accepts every collection of its batch");
    }
    if (collections < 0 || exportedPoints < 0) {
      throw new IllegalArgumentException(
          "negative accepted counts: " + collections + " collections, " + exportedPoints);
    }
    return new ExportResult(
        kind, exportedPoints, rejectedPoints, message, retryAfter, collections, ending);
  }

  /**
   * For a failure: how many leading collections of the batch the backend accepted before it (0
   * unless the exporter said so with {@link #afterAccepting}). For a success: 0 (all of them).
   */
  public int acceptedCollections() {
    return acceptedCollections;
  }

  /** What happened. */
  public Kind kind() {
    return kind;
  }

  /** Whether the batch is done with (accepted, possibly partially). */
  public boolean isSuccess() {
    return kind == Kind.SUCCESS;
  }

  /**
   * Data points the exporter sent: of the whole batch on success, of its accepted collections
   * otherwise (0 unless {@link #afterAccepting} said).
   */
  public long exportedPoints() {
    return exportedPoints;
  }

  /** Data points the backend reported as rejected in a partial success. */
  public long rejectedPoints() {
    return rejectedPoints;
  }

  /** A one-line description of the failure or partial success; empty on plain success. */
  public String message() {
    return message;
  }

  /** The backend's retry-after hint, if it gave one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public String toString() {
    return "ExportResult{"
        + kind
        + (ending == Ending.NONE
            ? ""
            : " (" + ending.name().toLowerCase(java.util.Locale.ROOT) + ")")
        + (acceptedCollections > 0 ? " after " + acceptedCollections + " accepted collections" : "")
        + (message.isEmpty() ? "" : ": " + message)
        + '}';
  }
}
