package io.microsandbox.metrics.cli.top;

import java.util.Locale;

/** How the view classifies a sandbox row. */
public enum SandboxState {
  /** An active slot with a recent sample. */
  RUNNING,
  /**
   * An active slot whose latest sample is older than max(3 x the sandbox's sample interval, 3 s):
   * the runtime is alive but not sampling (wedged, or the host is starved).
   */
  STALLED,
  /** A stale slot: the sandbox exited or its runtime died; the last sample is kept. */
  EXITED;

  /** The lower-case name shown in the table and in JSON ({@code running}, ...). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
