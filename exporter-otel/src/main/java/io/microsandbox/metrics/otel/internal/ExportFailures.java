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
 * <p>The backend's own delay is honoured: HTTP {@code Retry-After} ({@link JdkHttpSender}) and gRPC
 * {@code RetryInfo} ({@link GrpcOkHttpSender}); the SDK's own senders drop both.
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
        return retryable(message, response);
      default:
        return retryable(message, response);
    }
  }

  /** Retryable, with the backend's {@code RetryInfo} when the transport kept it. */
  private static ExportResult retryable(String message, GrpcResponse response) {
    if (response instanceof GrpcOkHttpSender.Answer) {
      Optional<Duration> after = ((GrpcOkHttpSender.Answer) response).retryDelay();
      if (after.isPresent()) {
        return ExportResult.retryable(
            message + " (retry after " + after.get().toMillis() + " ms)", after.get());
      }
    }
    return ExportResult.retryable(message);
  }

  private static ExportResult transport(Throwable cause, String endpoint) {
    return ExportResult.retryable(describe(cause) + " (" + endpoint + ")");
  }

  /** A one-line description of a transport failure, with its root cause. */
  static String describe(Throwable t) {
    if (t == null) {
      return "export failed";
    }
    String kind = "transport error";
    Throwable detail = t;
    // the first recognised failure along the cause chain names it (HTTP and gRPC clients wrap
    // differently)
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String k = kindOf(c);
      if (k != null) {
        kind = k;
        detail = c;
        break;
      }
      detail = c;
    }
    String text =
        detail.getMessage() == null ? detail.getClass().getSimpleName() : detail.getMessage();
    return kind + ": " + text.replaceAll("\\s+", " ");
  }

  private static String kindOf(Throwable c) {
    if (c instanceof ConnectException) {
      return "connection refused";
    }
    if (c instanceof InterruptedIOException || c instanceof HttpTimeoutException) {
      return "timed out";
    }
    if (c instanceof UnknownHostException) {
      return "unknown host";
    }
    if (c instanceof SSLException) {
      return "TLS handshake failed";
    }
    return null;
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
