package io.microsandbox.metrics.collector;

import java.util.Objects;

/**
 * A builder was given a value that cannot work. {@link #setting()} names the setting the way its
 * builder does (the setter's name, for example {@code flushInterval} or {@code endpoint}), so a
 * caller maps it to its own vocabulary (a command-line flag, a config key) without reading the
 * message; the message is one line a person can act on. Every builder of this project throws it.
 */
public class InvalidSettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String setting;
  private final String message;

  /**
   * Creates the exception.
   *
   * @param setting the builder's name of the bad setting
   * @param message one line saying what is wrong (never a secret value)
   */
  public InvalidSettingException(String setting, String message) {
    super(message);
    this.setting = Objects.requireNonNull(setting, "setting");
    this.message = message;
  }

  /**
   * Creates the exception with the failure that revealed it.
   *
   * @param setting the builder's name of the bad setting
   * @param message one line saying what is wrong (never a secret value)
   * @param cause the underlying failure
   */
  public InvalidSettingException(String setting, String message, Throwable cause) {
    super(message, cause);
    this.setting = Objects.requireNonNull(setting, "setting");
    this.message = message;
  }

  /** The builder's name of the bad setting, for example {@code flushInterval}. */
  public String setting() {
    return setting;
  }

  /** The one-line message given when it was thrown (never null). */
  @Override
  public String getMessage() {
    return message;
  }
}
