package io.microsandbox.metrics.registry;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * One coherent sample of one sandbox, as read from one registry slot: the sandbox's identity (slot,
 * ids, pid, name, start time) and the resource values of its latest sample.
 *
 * <p>Immutable. Unsigned 64-bit values are carried in {@code long}s (see {@link SampleField});
 * optional fields are absent when the writer did not set their flag ({@link #has(SampleField)}).
 */
public final class SandboxSnapshot {
  /** {@code sample_flags} bit: cpu_percent and vcpu_time_ns were sourced. */
  public static final int FLAG_CPU = 1;

  /** {@code sample_flags} bit: memory_bytes was sourced. */
  public static final int FLAG_MEMORY = 1 << 1;

  private final int slot;
  private final SlotState state;
  private final int sandboxId;
  private final int runId;
  private final int pid;
  private final String name;
  private final long startedAtMs;
  private final long sampledAtMs;
  private final int sampleFlags;
  private final int cpuPercentBits;
  private final long vcpuTimeNs;
  private final long memoryBytes;
  private final long memoryAvailableBytes;
  private final long memoryHostResidentBytes;
  private final long memoryLimitBytes;
  private final long diskReadBytes;
  private final long diskWriteBytes;
  private final long netRxBytes;
  private final long netTxBytes;
  private final long upperUsedBytes;
  private final long upperFreeBytes;
  private final long upperHostAllocatedBytes;

  private SandboxSnapshot(Builder b) {
    this.slot = b.slot;
    this.state = Objects.requireNonNull(b.state, "state");
    this.sandboxId = b.sandboxId;
    this.runId = b.runId;
    this.pid = b.pid;
    this.name = Objects.requireNonNull(b.name, "name");
    this.startedAtMs = b.startedAtMs;
    this.sampledAtMs = b.sampledAtMs;
    this.sampleFlags = b.sampleFlags;
    this.cpuPercentBits = b.cpuPercentBits;
    this.vcpuTimeNs = b.values[SampleField.VCPU_TIME_NS.ordinal()];
    this.memoryBytes = b.values[SampleField.MEMORY_BYTES.ordinal()];
    this.memoryAvailableBytes = b.values[SampleField.MEMORY_AVAILABLE_BYTES.ordinal()];
    this.memoryHostResidentBytes = b.values[SampleField.MEMORY_HOST_RESIDENT_BYTES.ordinal()];
    this.memoryLimitBytes = b.values[SampleField.MEMORY_LIMIT_BYTES.ordinal()];
    this.diskReadBytes = b.values[SampleField.DISK_READ_BYTES.ordinal()];
    this.diskWriteBytes = b.values[SampleField.DISK_WRITE_BYTES.ordinal()];
    this.netRxBytes = b.values[SampleField.NET_RX_BYTES.ordinal()];
    this.netTxBytes = b.values[SampleField.NET_TX_BYTES.ordinal()];
    this.upperUsedBytes = b.values[SampleField.UPPER_USED_BYTES.ordinal()];
    this.upperFreeBytes = b.values[SampleField.UPPER_FREE_BYTES.ordinal()];
    this.upperHostAllocatedBytes = b.values[SampleField.UPPER_HOST_ALLOCATED_BYTES.ordinal()];
  }

  /** A builder with every field zero, the name empty and the state {@link SlotState#ACTIVE}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder initialised with every field of this snapshot. */
  public Builder toBuilder() {
    Builder b =
        new Builder()
            .slot(slot)
            .state(state)
            .sandboxId(sandboxId)
            .runId(runId)
            .pid(pid)
            .name(name)
            .startedAtMs(startedAtMs)
            .sampledAtMs(sampledAtMs)
            .sampleFlags(sampleFlags)
            .cpuPercentBits(cpuPercentBits);
    for (SampleField f : SampleField.all()) {
      b.values[f.ordinal()] = raw(f);
    }
    return b;
  }

  /** Index of the registry slot the sample was read from. */
  public int slot() {
    return slot;
  }

  /** Whether the sandbox is alive ({@link SlotState#ACTIVE}) or gone ({@link SlotState#STALE}). */
  public SlotState state() {
    return state;
  }

  /** The catalog sandbox id. */
  public int sandboxId() {
    return sandboxId;
  }

  /** The catalog run id (0 until the runtime activated the slot). */
  public int runId() {
    return runId;
  }

  /** Host pid of the runtime writing the slot. */
  public int pid() {
    return pid;
  }

  /** The sandbox name, decoded leniently from UTF-8 (invalid sequences replaced). */
  public String name() {
    return name;
  }

  /** Unix milliseconds when the sandbox process started (may be 0 or negative if unknown). */
  public long startedAtMs() {
    return startedAtMs;
  }

  /** Unix milliseconds of this sample. */
  public long sampledAtMs() {
    return sampledAtMs;
  }

  /**
   * Milliseconds the sandbox had been up at this sample: {@code sampledAt - startedAt}, where a
   * start time at or before the epoch counts as the epoch. Saturating, so corrupt times never
   * overflow: a sample at or before the start (including any negative sample time) gives 0, and the
   * largest result is the sample time itself (at most {@code Long.MAX_VALUE}).
   */
  public long uptimeMs() {
    long start = Math.max(0L, startedAtMs);
    // start >= 0, so sampledAtMs - start cannot overflow once sampledAtMs > start
    return sampledAtMs <= start ? 0L : sampledAtMs - start;
  }

  /** The raw {@code sample_flags} word (see {@link SampleField#flagMask()}). */
  public int sampleFlags() {
    return sampleFlags;
  }

  /** CPU use in percent of one vCPU (a 2-vCPU sandbox at full load is 200.0); 0 when unsourced. */
  public float cpuPercent() {
    return Float.intBitsToFloat(cpuPercentBits);
  }

  /** The exact IEEE-754 bits of {@link #cpuPercent()}, as stored in the registry. */
  public int cpuPercentBits() {
    return cpuPercentBits;
  }

  /** Whether {@code field} holds a value: always for plain fields, by flag for optional ones. */
  public boolean has(SampleField field) {
    return !field.isOptional() || (sampleFlags & field.flagMask()) != 0;
  }

  /**
   * The unsigned value of {@code field}, or empty when the field is optional and absent. Prefer
   * {@link #has(SampleField)} with {@link #raw(SampleField)} on hot paths.
   */
  public OptionalLong get(SampleField field) {
    return has(field) ? OptionalLong.of(raw(field)) : OptionalLong.empty();
  }

  /**
   * The unsigned value of {@code field} as stored, whether or not its flag is set (an absent
   * optional field reads as whatever the writer left there, usually 0).
   */
  public long raw(SampleField field) {
    switch (field) {
      case VCPU_TIME_NS:
        return vcpuTimeNs;
      case MEMORY_BYTES:
        return memoryBytes;
      case MEMORY_AVAILABLE_BYTES:
        return memoryAvailableBytes;
      case MEMORY_HOST_RESIDENT_BYTES:
        return memoryHostResidentBytes;
      case MEMORY_LIMIT_BYTES:
        return memoryLimitBytes;
      case DISK_READ_BYTES:
        return diskReadBytes;
      case DISK_WRITE_BYTES:
        return diskWriteBytes;
      case NET_RX_BYTES:
        return netRxBytes;
      case NET_TX_BYTES:
        return netTxBytes;
      case UPPER_USED_BYTES:
        return upperUsedBytes;
      case UPPER_FREE_BYTES:
        return upperFreeBytes;
      case UPPER_HOST_ALLOCATED_BYTES:
        return upperHostAllocatedBytes;
      default:
        throw new AssertionError(field);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SandboxSnapshot)) {
      return false;
    }
    SandboxSnapshot s = (SandboxSnapshot) o;
    if (slot != s.slot
        || state != s.state
        || sandboxId != s.sandboxId
        || runId != s.runId
        || pid != s.pid
        || startedAtMs != s.startedAtMs
        || sampledAtMs != s.sampledAtMs
        || sampleFlags != s.sampleFlags
        || cpuPercentBits != s.cpuPercentBits
        || !name.equals(s.name)) {
      return false;
    }
    for (SampleField f : SampleField.all()) {
      if (raw(f) != s.raw(f)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(slot, state, sandboxId, runId, pid, name, startedAtMs, sampledAtMs);
    h = 31 * h + sampleFlags;
    h = 31 * h + cpuPercentBits;
    for (SampleField f : SampleField.all()) {
      h = 31 * h + Long.hashCode(raw(f));
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb =
        new StringBuilder("SandboxSnapshot{slot=")
            .append(slot)
            .append(", state=")
            .append(state)
            .append(", sandboxId=")
            .append(sandboxId)
            .append(", runId=")
            .append(runId)
            .append(", pid=")
            .append(pid)
            .append(", name=")
            .append(name)
            .append(", startedAtMs=")
            .append(startedAtMs)
            .append(", sampledAtMs=")
            .append(sampledAtMs)
            .append(", cpuPercent=")
            .append(cpuPercent());
    for (SampleField f : SampleField.all()) {
      sb.append(", ").append(f.jsonKey()).append('=');
      sb.append(has(f) ? Long.toUnsignedString(raw(f)) : "absent");
    }
    return sb.append('}').toString();
  }

  /** Builds {@link SandboxSnapshot}s; used by the reader, by tests and by custom sources. */
  public static final class Builder {
    private int slot;
    private SlotState state = SlotState.ACTIVE;
    private int sandboxId;
    private int runId;
    private int pid;
    private String name = "";
    private long startedAtMs;
    private long sampledAtMs;
    private int sampleFlags;
    private int cpuPercentBits;
    private final long[] values = new long[SampleField.all().length];

    private Builder() {}

    /** Sets the slot index. */
    public Builder slot(int slot) {
      this.slot = slot;
      return this;
    }

    /** Sets the state. */
    public Builder state(SlotState state) {
      this.state = Objects.requireNonNull(state, "state");
      return this;
    }

    /** Sets the catalog sandbox id. */
    public Builder sandboxId(int sandboxId) {
      this.sandboxId = sandboxId;
      return this;
    }

    /** Sets the catalog run id. */
    public Builder runId(int runId) {
      this.runId = runId;
      return this;
    }

    /** Sets the runtime's host pid. */
    public Builder pid(int pid) {
      this.pid = pid;
      return this;
    }

    /** Sets the sandbox name. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Sets the sandbox start time, Unix milliseconds. */
    public Builder startedAtMs(long startedAtMs) {
      this.startedAtMs = startedAtMs;
      return this;
    }

    /** Sets the sample time, Unix milliseconds. */
    public Builder sampledAtMs(long sampledAtMs) {
      this.sampledAtMs = sampledAtMs;
      return this;
    }

    /** Sets the raw {@code sample_flags} word. */
    public Builder sampleFlags(int sampleFlags) {
      this.sampleFlags = sampleFlags;
      return this;
    }

    /** Sets CPU use in percent of one vCPU. */
    public Builder cpuPercent(float cpuPercent) {
      this.cpuPercentBits = Float.floatToRawIntBits(cpuPercent);
      return this;
    }

    /** Sets the exact IEEE-754 bits of the CPU percentage. */
    public Builder cpuPercentBits(int cpuPercentBits) {
      this.cpuPercentBits = cpuPercentBits;
      return this;
    }

    /**
     * Sets the raw unsigned value of {@code field}; for an optional field this does not touch
     * {@code sample_flags} (see {@link #value(SampleField, long)}).
     */
    public Builder raw(SampleField field, long value) {
      values[field.ordinal()] = value;
      return this;
    }

    /** Sets {@code field} to {@code value} and, for an optional field, sets its flag bit. */
    public Builder value(SampleField field, long value) {
      values[field.ordinal()] = value;
      sampleFlags |= field.flagMask();
      return this;
    }

    /** Builds the immutable snapshot. */
    public SandboxSnapshot build() {
      return new SandboxSnapshot(this);
    }
  }
}
