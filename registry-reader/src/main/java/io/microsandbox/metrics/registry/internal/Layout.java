package io.microsandbox.metrics.registry.internal;

import io.microsandbox.metrics.registry.SampleField;

/**
 * Byte offsets and constants of the registry layout, version 3 ({@code registry-v3.md}). Every
 * number here is a fact of the format shared with microsandbox; nothing is tunable.
 */
public final class Layout {
  private Layout() {}

  /** {@code MSBMET01} read as a little-endian u64. */
  public static final long MAGIC = 0x313054454d42534dL;

  /** The only layout version this reader understands. */
  public static final int VERSION = 3;

  /** Size of the header in bytes. */
  public static final int HEADER_LEN = 256;

  /** Size of one slot in bytes. */
  public static final int SLOT_LEN = 512;

  /**
   * Largest capacity accepted: 2^20 slots (512 MiB). microsandbox defaults to 1024; anything far
   * above is a corrupt header, and refusing it keeps the mapping and per-slot caches bounded.
   */
  public static final int MAX_CAPACITY = 1 << 20;

  // Header fields.
  public static final int H_MAGIC = 0x00;
  public static final int H_VERSION = 0x08;
  public static final int H_HEADER_LEN = 0x0c;
  public static final int H_SLOT_LEN = 0x10;
  public static final int H_CAPACITY = 0x14;
  public static final int H_STATE = 0x18;
  public static final int H_CREATED_AT_MS = 0x20;
  public static final int H_GLOBAL_GENERATION = 0x28;

  // Header states.
  public static final int HEADER_UNINIT = 0;
  public static final int HEADER_INITIALIZING = 1;
  public static final int HEADER_READY = 2;

  // Slot fields, relative to the slot's base offset.
  public static final int S_STATE = 0x00;
  public static final int S_GENERATION = 0x08;
  public static final int S_SEQ = 0x10;
  public static final int S_SANDBOX_ID = 0x18;
  public static final int S_RUN_ID = 0x1c;
  public static final int S_PID = 0x20;
  public static final int S_STARTED_AT_MS = 0x28;
  public static final int S_SAMPLED_AT_MS = 0x30;
  public static final int S_SAMPLE_FLAGS = 0x38;
  public static final int S_MEMORY_LIMIT_BYTES = 0x40;
  public static final int S_VCPU_TIME_NS = 0x48;
  public static final int S_CPU_PERCENT_BITS = 0x50;
  public static final int S_MEMORY_BYTES = 0x58;
  public static final int S_MEMORY_AVAILABLE_BYTES = 0x60;
  public static final int S_MEMORY_HOST_RESIDENT_BYTES = 0x68;
  public static final int S_DISK_READ_BYTES = 0x70;
  public static final int S_DISK_WRITE_BYTES = 0x78;
  public static final int S_NET_RX_BYTES = 0x80;
  public static final int S_NET_TX_BYTES = 0x88;
  public static final int S_UPPER_USED_BYTES = 0x90;
  public static final int S_UPPER_FREE_BYTES = 0x98;
  public static final int S_UPPER_HOST_ALLOCATED_BYTES = 0xa0;
  public static final int S_NAME_LEN = 0xa8;
  public static final int S_NAME = 0xb0;

  /** Capacity of the name field in bytes. */
  public static final int NAME_MAX = 128;

  // Slot states.
  public static final int SLOT_FREE = 0;
  public static final int SLOT_RESERVED = 1;
  public static final int SLOT_ACTIVE = 2;
  public static final int SLOT_STALE = 3;

  /**
   * Slot-relative offset of every {@link SampleField}, indexed by {@link SampleField#ordinal()}
   * (the enum follows registry order, but the offsets are not evenly spaced: cpu_percent_bits sits
   * between vcpu_time_ns and memory_bytes).
   */
  private static final int[] SAMPLE_FIELD_OFFSETS = {
    S_VCPU_TIME_NS,
    S_MEMORY_BYTES,
    S_MEMORY_AVAILABLE_BYTES,
    S_MEMORY_HOST_RESIDENT_BYTES,
    S_MEMORY_LIMIT_BYTES,
    S_DISK_READ_BYTES,
    S_DISK_WRITE_BYTES,
    S_NET_RX_BYTES,
    S_NET_TX_BYTES,
    S_UPPER_USED_BYTES,
    S_UPPER_FREE_BYTES,
    S_UPPER_HOST_ALLOCATED_BYTES,
  };

  /** Slot-relative offset of {@code field}'s u64. */
  public static int offsetOf(SampleField field) {
    return SAMPLE_FIELD_OFFSETS[field.ordinal()];
  }

  /** Size in bytes of a registry with {@code capacity} slots. */
  public static long registrySize(long capacity) {
    return HEADER_LEN + capacity * SLOT_LEN;
  }

  /** Byte offset of slot {@code index}. */
  public static int slotOffset(int index) {
    return HEADER_LEN + index * SLOT_LEN;
  }
}
