package io.microsandbox.metrics.prometheus;

import java.util.Objects;

/**
 * One answer to a scrape: the negotiated content type and the encoded exposition.
 *
 * @param contentType the {@code Content-Type} to send, for example {@code text/plain;
 *     version=0.0.4; charset=utf-8}
 * @param body the exposition in that format (the caller must not modify it)
 */
public record Scrape(String contentType, byte[] body) {
  /** Checks that nothing is null. */
  public Scrape {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
  }
}
