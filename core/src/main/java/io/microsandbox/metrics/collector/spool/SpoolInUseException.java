package io.microsandbox.metrics.collector.spool;

/**
 * Another process holds an exporter's spool directory: two collectors must never share one, or each
 * would deliver and delete the other's entries. The message is one line naming the directory.
 */
public final class SpoolInUseException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message one line naming the directory
   */
  public SpoolInUseException(String message) {
    super(message);
  }
}
