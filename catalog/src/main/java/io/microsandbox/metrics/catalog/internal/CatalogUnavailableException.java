package io.microsandbox.metrics.catalog.internal;

/**
 * The catalog could not be read this time: file missing, table missing, database locked, corrupt or
 * not a database. The message is one line, fit for a log; the source retries on its next tick.
 */
public final class CatalogUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message why the catalog could not be read, one line
   * @param cause the underlying failure, or {@code null}
   */
  public CatalogUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
