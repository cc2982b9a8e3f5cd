package io.microsandbox.metrics.catalog.internal;

import org.jspecify.annotations.Nullable;

/**
 * The catalog could not be read this time: file missing, table missing, database locked, corrupt or
 * not a database. The message is one line, fit for a log; the source retries on its next tick.
 */
public final class CatalogUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String reason;

  /**
   * Creates the exception.
   *
   * @param message why the catalog could not be read, one line
   * @param cause the underlying failure, or {@code null}
   */
  public CatalogUnavailableException(String message, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = message;
  }

  /** Why the catalog could not be read: the one-line message given at construction. */
  @Override
  public String getMessage() {
    return reason;
  }
}
