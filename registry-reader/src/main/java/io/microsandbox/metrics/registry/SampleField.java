package io.microsandbox.metrics.registry;

/**
 * The unsigned 64-bit fields of a sandbox sample, in the order the registry stores them.
 *
 * <p>Every value is an unsigned 64-bit integer carried in a Java {@code long}: values above {@link
 * Long#MAX_VALUE} appear negative when read as signed; use {@link Long#toUnsignedString(long)} or
 * {@link Long#compareUnsigned(long, long)}.
 *
 * <p>Four fields are optional: they hold a value only when the writer set their bit in the slot's
 * {@code sample_flags} ({@link #isOptional()}). The others are plain values, 0 when the runtime
 * could not source them.
 */
public enum SampleField {
  /** Cumulative guest vCPU time of all vCPUs, nanoseconds. */
  VCPU_TIME_NS("vcpu_time_ns", 0),
  /** Guest-used memory, bytes. */
  MEMORY_BYTES("memory_bytes", 0),
  /** Guest-available memory, bytes; optional. */
  MEMORY_AVAILABLE_BYTES("memory_available_bytes", 1 << 2),
  /** Host-resident guest memory, bytes; optional. */
  MEMORY_HOST_RESIDENT_BYTES("memory_host_resident_bytes", 1 << 3),
  /** Configured guest memory limit, bytes. */
  MEMORY_LIMIT_BYTES("memory_limit_bytes", 0),
  /** Cumulative bytes read from disk. */
  DISK_READ_BYTES("disk_read_bytes", 0),
  /** Cumulative bytes written to disk. */
  DISK_WRITE_BYTES("disk_write_bytes", 0),
  /** Cumulative bytes received by the guest (runtime to guest). */
  NET_RX_BYTES("net_rx_bytes", 0),
  /** Cumulative bytes sent by the guest (guest to runtime). */
  NET_TX_BYTES("net_tx_bytes", 0),
  /** Guest-visible used bytes of the writable (OCI upper) filesystem; optional. */
  UPPER_USED_BYTES("upper_used_bytes", 1 << 4),
  /** Guest-visible free bytes of the writable filesystem; optional. */
  UPPER_FREE_BYTES("upper_free_bytes", 1 << 5),
  /** Host bytes allocated for the writable filesystem image; optional. */
  UPPER_HOST_ALLOCATED_BYTES("upper_host_allocated_bytes", 1 << 6);

  private static final SampleField[] VALUES = values();

  private final String jsonKey;
  private final int flagMask;

  SampleField(String jsonKey, int flagMask) {
    this.jsonKey = jsonKey;
    this.flagMask = flagMask;
  }

  /** All fields in registry order; a shared array that callers must not modify. */
  static SampleField[] all() {
    return VALUES;
  }

  /** The snake_case key used for this field in every JSON output of the project. */
  public String jsonKey() {
    return jsonKey;
  }

  /** The {@code sample_flags} bit that validates this field, or 0 for a plain field. */
  public int flagMask() {
    return flagMask;
  }

  /** Whether this field is absent unless its {@code sample_flags} bit is set. */
  public boolean isOptional() {
    return flagMask != 0;
  }
}
