package io.microsandbox.metrics.endpoints.internal;

import io.microsandbox.metrics.endpoints.Response;
import java.nio.charset.StandardCharsets;

/**
 * The status line and headers sent before a {@link Response}'s body. Every answer closes the
 * connection (one request per connection keeps the server's state per client small and its
 * deadlines simple). {@code Content-Length} is the body's length for HEAD too, where the body
 * itself is left out.
 */
public final class ResponseHead {
  private ResponseHead() {}

  /** The head of {@code r}, ISO-8859-1 encoded. */
  public static byte[] of(Response r) {
    StringBuilder h = new StringBuilder(160);
    h.append("HTTP/1.1 ").append(r.status()).append(' ').append(reason(r.status())).append("\r\n");
    h.append("Content-Type: ").append(r.contentType()).append("\r\n");
    h.append("Content-Length: ").append(r.body().length).append("\r\n");
    if (r.status() == 405) {
      h.append("Allow: GET, HEAD\r\n");
    }
    h.append("Cache-Control: no-store\r\n");
    h.append("Connection: close\r\n\r\n");
    return h.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String reason(int status) {
    switch (status) {
      case 200:
        return "OK";
      case 400:
        return "Bad Request";
      case 404:
        return "Not Found";
      case 405:
        return "Method Not Allowed";
      case 408:
        return "Request Timeout";
      case 431:
        return "Request Header Fields Too Large";
      case 500:
        return "Internal Server Error";
      case 503:
        return "Service Unavailable";
      default:
        return "Status";
    }
  }
}
