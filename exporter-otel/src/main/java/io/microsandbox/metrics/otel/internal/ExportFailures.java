package io.microsandbox.metrics.otel.internal;

import io.microsandbox.metrics.collector.ExportResult;
import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import io.opentelemetry.sdk.common.export.HttpResponse;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps the SDK exporter's failure to an {@link ExportResult}: what goes back to the buffer for the
 * worker's backoff (the only retry mechanism) and what is dropped.
 *
 * <ul>
 *   <li>rejected (the batch cannot succeed as it is): HTTP 400 and 413, gRPC INVALID_ARGUMENT;
 *   <li>retryable with an ERROR naming {@code --header}: HTTP 401/403, gRPC
 *       UNAUTHENTICATED/PERMISSION_DENIED (a rotated token can be fixed without losing data);
 *   <li>retryable: everything else (429, 5xx, UNAVAILABLE, RESOURCE_EXHAUSTED, timeouts, connection
 *       refused, TLS failures, unexpected statuses). Keeping data on an unknown failure is bounded
 *       by the buffer cap; dropping it would be silent loss.
 * </ul>
 *
 * <p>An HTTP {@code Retry-After} is honoured (the exporter's own {@link JdkHttpSender} keeps the
 * headers). A gRPC {@code RetryInfo} cannot be: the SDK's gRPC sender drops the trailers' status
 * details, so the worker's backoff applies.
 *
 * <p>{@link FailedExportException} lives in an SDK {@code internal} package: it is the only way the
 * SDK exposes the status, and the SDK version is pinned by the parent pom.
 */
public final class ExportFailures {
  private static final Logger logger = LoggerFactory.getLogger(ExportFailures.class);

  private ExportFailures() {}

  /**
   * Classifies a failed export.
   *
   * @param failure the SDK's failure throwable, or null when it gave none
   * @param endpoint the endpoint, for messages
   */
  public static ExportResult classify(Throwable failure, String endpoint) {
    if (failure instanceof FailedExportException.HttpExportException) {
      FailedExportException.HttpExportException e =
          (FailedExportException.HttpExportException) failure;
      if (e.failedWithResponse()) {
        return http(e.getResponse(), endpoint);
      }
      return transport(e.getCause(), endpoint);
    }
    if (failure instanceof FailedExportException.GrpcExportException) {
      FailedExportException.GrpcExportException e =
          (FailedExportException.GrpcExportException) failure;
      if (e.failedWithResponse()) {
        return grpc(e.getResponse(), endpoint);
      }
      return transport(e.getCause(), endpoint);
    }
    return transport(failure, endpoint);
  }

  private static ExportResult http(HttpResponse response, String endpoint) {
    int code = response.getStatusCode();
    String message =
        "HTTP "
            + code
            + oneLine(response.getStatusMessage())
            + " from "
            + endpoint
            + backendMessage(response.getResponseBody());
    switch (code) {
      case 400:
        return ExportResult.rejected(message + " (the backend refused the data as malformed)");
      case 413:
        return ExportResult.rejected(
            message + " (request too large: lower the maximum points per request)");
      case 401:
      case 403:
        logCredentials("HTTP " + code, endpoint);
        return retryable(message, response);
      default:
        return retryable(message, response);
    }
  }

  /** Retryable, with the backend's {@code Retry-After} when the transport kept it. */
  private static ExportResult retryable(String message, HttpResponse response) {
    if (response instanceof JdkHttpSender.JdkHttpResponse) {
      Optional<Duration> after = ((JdkHttpSender.JdkHttpResponse) response).retryAfter();
      if (after.isPresent()) {
        return ExportResult.retryable(
            message + " (retry after " + after.get().toSeconds() + " s)", after.get());
      }
    }
    return ExportResult.retryable(message);
  }

  private static ExportResult grpc(GrpcResponse response, String endpoint) {
    GrpcStatusCode code = response.getStatusCode();
    String message =
        "gRPC " + code + oneLine(response.getStatusDescription()) + " from " + endpoint;
    switch (code) {
      case INVALID_ARGUMENT:
        return ExportResult.rejected(message + " (the backend refused the data as malformed)");
      case UNAUTHENTICATED:
      case PERMISSION_DENIED:
        logCredentials("gRPC " + code, endpoint);
        return ExportResult.retryable(message);
      default:
        return ExportResult.retryable(message);
    }
  }

  private static ExportResult transport(Throwable cause, String endpoint) {
    return ExportResult.retryable(describe(cause) + " (" + endpoint + ")");
  }

  /** A one-line description of a transport failure, with its root cause. */
  static String describe(Throwable t) {
    if (t == null) {
      return "export failed";
    }
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String kind;
    if (root instanceof ConnectException) {
      kind = "connection refused";
    } else if (root instanceof InterruptedIOException
        || t instanceof InterruptedIOException
        || root instanceof HttpTimeoutException) {
      kind = "timed out";
    } else if (root instanceof UnknownHostException) {
      kind = "unknown host";
    } else if (root instanceof SSLException || t instanceof SSLException) {
      kind = "TLS handshake failed";
    } else {
      kind = "transport error";
    }
    String detail = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return kind + ": " + detail.replaceAll("\\s+", " ");
  }

  /**
   * The backend's own explanation from an HTTP error body: the {@code message} of the {@code
   * google.rpc.Status} OTLP/HTTP receivers answer with, else a short printable body (some proxies
   * answer in text); empty when there is none.
   */
  static String backendMessage(byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    String status = statusMessage(body);
    if (status == null) {
      String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
      if (!text.chars().allMatch(c -> c >= 0x20 || Character.isWhitespace(c))) {
        return "";
      }
      status = text;
    }
    String line = oneLine(status);
    return line.isEmpty()
        ? ""
        : ":" + (line.length() > 201 ? line.substring(0, 201) + "..." : line);
  }

  /** Field 2 (message) of a protobuf google.rpc.Status, or null when the bytes are not one. */
  private static String statusMessage(byte[] body) {
    ProtoFields status = new ProtoFields(body, 0, body.length);
    String message = null;
    while (status.next()) {
      if (status.field() == 2 && status.isBytes()) {
        message = status.string();
      }
    }
    return status.ok() ? message : null;
  }

  private static void logCredentials(String status, String endpoint) {
    logger.error(
        "OTLP backend {} refused the credentials ({}): check --header / "
            + "OTEL_EXPORTER_OTLP_HEADERS; the batch is kept and retried",
        endpoint,
        status);
  }

  private static String oneLine(String s) {
    return s == null || s.isBlank() ? "" : " " + s.replaceAll("\\s+", " ").trim();
  }
}
