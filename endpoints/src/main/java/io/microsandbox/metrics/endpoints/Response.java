package io.microsandbox.metrics.endpoints;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One HTTP answer of {@link Endpoints}: status, content type and body.
 *
 * @param status the HTTP status code
 * @param contentType the {@code Content-Type}
 * @param body the body (the caller must not modify it)
 */
public record Response(int status, String contentType, byte[] body) {
  /** Checks that nothing is null. */
  public Response {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
  }

  /** A plain-text answer ending in a newline. */
  public static Response text(int status, String line) {
    return new Response(
        status, "text/plain; charset=utf-8", (line + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
