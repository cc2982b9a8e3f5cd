package io.microsandbox.metrics.registry;

/**
 * The state of a registry slot as seen in a {@link SandboxSnapshot}.
 *
 * <p>Only slots that hold a sample are ever reported, so the registry's "free" and "reserved"
 * states never appear here.
 */
public enum SlotState {
  /** The runtime owning the slot is alive and writing samples. */
  ACTIVE,
  /**
   * The sandbox exited (the slot was released as stale) or its runtime died without releasing the
   * slot; the last sample is kept.
   */
  STALE
}
