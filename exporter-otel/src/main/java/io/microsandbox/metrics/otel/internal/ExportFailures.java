package io.microsandbox.metrics.otel.internal;

import io.microsandbox.metrics.collector.ExportResult;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps a request's {@link SendResult} to an {@link ExportResult}: what goes back to the buffer for
 * the worker's backoff (the only retry mechanism) and what is dropped.
 *
 * <ul>
 *   <li>rejected (the request cannot succeed as it is): HTTP 400 and 413, gRPC INVALID_ARGUMENT,
 *       and gRPC RESOURCE_EXHAUSTED whose message says the request is too large (sending it again
 *       would be refused again, forever);
 *   <li>retryable with an ERROR naming {@code --header}: HTTP 401/403, gRPC
 *       UNAUTHENTICATED/PERMISSION_DENIED (a rotated token can be fixed without losing data);
 *   <li>fatal, stopping the exporter for good: a {@link LinkageError} in the transport (OkHttp,
 *       Okio or the Kotlin standard library missing or of another version), named with the version
 *       found and the version needed ({@link TransportLibraries});
 *   <li>retryable: everything else (429, 5xx, UNAVAILABLE, other RESOURCE_EXHAUSTED, timeouts,
 *       connection refused, TLS failures, unexpected statuses). Keeping data on an unknown failure
 *       is bounded by the buffer cap; dropping it would be silent loss.
 * </ul>
 *
 * <p>The backend's own delay is honoured: HTTP {@code Retry-After} and gRPC {@code RetryInfo}.
 */
public final class ExportFailures {
  private static final Logger logger = LoggerFactory.getLogger(ExportFailures.class);

  private ExportFailures() {}

  /**
   * Classifies a request the backend did not accept.
   *
   * @param r the transport's result, not {@link SendResult#isAccepted() accepted}
   * @param endpoint the endpoint, for messages (already redacted)
   */
  public static ExportResult classify(SendResult r, String endpoint) {
    if (r.error() != null) {
      LinkageError linkage = TransportLibraries.linkageError(r.error());
      if (linkage != null) {
        // a library missing or of another version: retrying cannot help
        return ExportResult.fatal(
            "the OTLP "
                + (r.protocol() == SendResult.Protocol.GRPC ? "gRPC" : "HTTP")
                + " transport to "
                + endpoint
                + " cannot run: "
                + TransportLibraries.describe(linkage));
      }
      return transport(r.error(), endpoint);
    }
    boolean http = r.protocol() == SendResult.Protocol.HTTP;
    // as the backends put it: "HTTP 503 from <url>: <body's message>", "gRPC UNAVAILABLE <message>
    // from <url>"
    String message =
        http
            ? r.statusName()
                + " from "
                + endpoint
                + (r.description().isBlank() ? "" : ": " + oneLine(r.description()).trim())
            : r.statusName() + oneLine(r.description()) + " from " + endpoint;
    int code = r.status();
    if (http ? code == 400 : code == SendResult.GRPC_INVALID_ARGUMENT) {
      return ExportResult.rejected(message + " (the backend refused the data as malformed)");
    }
    if (http ? code == 413 : code == SendResult.GRPC_RESOURCE_EXHAUSTED && saysTooLarge(r)) {
      return ExportResult.rejected(
          message + " (request too large: lower the maximum request size, maxRequestBytes)");
    }
    if (http ? code == 401 || code == 403 : isCredentials(code)) {
      logCredentials(r.statusName(), endpoint);
    }
    if (r.retryDelay().isPresent()) {
      Duration after = r.retryDelay().get();
      return ExportResult.retryable(
          message
              + (http
                  ? " (retry after " + after.toSeconds() + " s)"
                  : " (retry after " + after.toMillis() + " ms)"),
          after);
    }
    return ExportResult.retryable(message);
  }

  private static boolean isCredentials(int grpc) {
    return grpc == SendResult.GRPC_UNAUTHENTICATED || grpc == SendResult.GRPC_PERMISSION_DENIED;
  }

  // gRPC servers say it in words: grpc-go "received message larger than max (5 vs. 4)", grpc-java
  // "gRPC message exceeds maximum size 4194304: 5000000", Envoy "request payload too large"
  private static boolean saysTooLarge(SendResult r) {
    String d = r.description().toLowerCase(java.util.Locale.ROOT);
    return d.contains("larger than") || d.contains("exceeds maximum") || d.contains("too large");
  }

  private static ExportResult transport(Throwable cause, String endpoint) {
    return ExportResult.retryable(describe(cause) + " (" + endpoint + ")");
  }

  /** A one-line description of a transport failure, with its root cause. */
  static String describe(@Nullable Throwable t) {
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

  private static @Nullable String kindOf(Throwable c) {
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
  private static @Nullable String statusMessage(byte[] body) {
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
