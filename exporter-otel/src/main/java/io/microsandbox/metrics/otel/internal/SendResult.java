package io.microsandbox.metrics.otel.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What one OTLP request got back from a transport: accepted (with the backend's partial success, if
 * any), answered with a failure status (HTTP or gRPC, with the backend's retry delay), or not
 * answered at all (the transport's exception). Immutable.
 *
 * @param protocol which transport answered
 * @param status HTTP status code ({@link Protocol#HTTP}) or gRPC status code ({@link
 *     Protocol#GRPC}); -1 when there was no answer
 * @param description the backend's one-line explanation (gRPC {@code grpc-message}, the message of
 *     an HTTP error body); empty when it gave none
 * @param retryDelay the backend's HTTP {@code Retry-After} or gRPC {@code RetryInfo}, if sent
 * @param partialSuccess the partial success of an accepted request, if the backend reported one
 * @param error the transport failure when there was no answer (connection refused, timeout, TLS),
 *     else null
 */
public record SendResult(
    Protocol protocol,
    int status,
    String description,
    Optional<Duration> retryDelay,
    Optional<PartialSuccess> partialSuccess,
    @Nullable Throwable error) {

  /** The transport that produced the result. */
  public enum Protocol {
    /** OTLP/HTTP with protobuf bodies. */
    HTTP,
    /** OTLP/gRPC. */
    GRPC
  }

  /** gRPC status OK. */
  public static final int GRPC_OK = 0;

  /** gRPC status INVALID_ARGUMENT. */
  public static final int GRPC_INVALID_ARGUMENT = 3;

  /** gRPC status RESOURCE_EXHAUSTED. */
  public static final int GRPC_RESOURCE_EXHAUSTED = 8;

  /** gRPC status PERMISSION_DENIED. */
  public static final int GRPC_PERMISSION_DENIED = 7;

  /** gRPC status UNAUTHENTICATED. */
  public static final int GRPC_UNAUTHENTICATED = 16;

  /** Checks the components. */
  public SendResult {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(retryDelay, "retryDelay");
    Objects.requireNonNull(partialSuccess, "partialSuccess");
  }

  /** An answer from the backend. */
  public static SendResult answered(
      Protocol protocol,
      int status,
      String description,
      Optional<Duration> retryDelay,
      Optional<PartialSuccess> partialSuccess) {
    return new SendResult(protocol, status, description, retryDelay, partialSuccess, null);
  }

  /** No answer: the transport failed. */
  public static SendResult failed(Protocol protocol, Throwable error) {
    return new SendResult(
        protocol, -1, "", Optional.empty(), Optional.empty(), Objects.requireNonNull(error));
  }

  /** Whether the backend accepted the request (HTTP 2xx, gRPC OK). */
  public boolean isAccepted() {
    if (error != null) {
      return false;
    }
    return protocol == Protocol.HTTP ? status / 100 == 2 : status == GRPC_OK;
  }

  /** The gRPC status name ({@code UNAVAILABLE}), or the HTTP status ({@code HTTP 503}). */
  public String statusName() {
    if (protocol == Protocol.HTTP) {
      return "HTTP " + status;
    }
    return "gRPC " + (status >= 0 && status < GRPC_NAMES.length ? GRPC_NAMES[status] : status);
  }

  private static final String[] GRPC_NAMES = {
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED"
  };
}
