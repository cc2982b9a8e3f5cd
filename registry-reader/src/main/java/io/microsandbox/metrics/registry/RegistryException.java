package io.microsandbox.metrics.registry;

import java.util.Objects;

/**
 * The registry exists but cannot be read: it is corrupt, of another layout, still being created
 * after the wait, or not accessible to this user. The message is one line that names the registry
 * and the problem, fit to print as is.
 *
 * <p>A missing registry is never this exception (it reads as "no sandboxes"), and neither is a
 * single unreadable slot (it is skipped and counted, see {@link RegistryScan#skippedSlots()}).
 */
public final class RegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What is wrong, for callers that react differently to different problems. */
  public enum Problem {
    /** The first 8 bytes are not {@code MSBMET01}. */
    BAD_MAGIC,
    /** A layout version other than 3. */
    BAD_VERSION,
    /** header_len is not 256. */
    BAD_HEADER_LEN,
    /** slot_len is not 512. */
    BAD_SLOT_LEN,
    /** capacity is 0 or absurdly large. */
    BAD_CAPACITY,
    /** The object is shorter than {@code 256 + capacity * 512} bytes. */
    TOO_SHORT,
    /** The header stayed uninitialised or initialising for longer than the wait. */
    INIT_TIMEOUT,
    /** The header state is none of uninitialised, initialising, ready. */
    UNKNOWN_STATE,
    /** The object belongs to another user (EACCES). */
    PERMISSION_DENIED,
    /** Any other failure of the operating system calls. */
    OS_ERROR
  }

  private final Problem problem;
  private final String message;

  /**
   * Creates an exception.
   *
   * @param problem what is wrong
   * @param message one line naming the registry and the problem
   */
  public RegistryException(Problem problem, String message) {
    super(message);
    this.problem = Objects.requireNonNull(problem, "problem");
    this.message = message;
  }

  /** The one-line message given when it was thrown (never null). */
  @Override
  public String getMessage() {
    return message;
  }

  /** What is wrong. */
  public Problem problem() {
    return problem;
  }
}
