package io.microsandbox.metrics.spool.internal;

/**
 * A record whose bytes do not decode (its checksum matched, so the writer or the format is off).
 */
final class CorruptRecordException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  CorruptRecordException(String message) {
    super(message);
    this.reason = message;
  }

  /** The one-line reason given when it was thrown (never null). */
  @Override
  public String getMessage() {
    return reason;
  }
}
