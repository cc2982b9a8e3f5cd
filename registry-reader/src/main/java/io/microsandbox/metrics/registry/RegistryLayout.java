package io.microsandbox.metrics.registry;

/**
 * Byte offsets and constants of microsandbox's metrics registry, layout version 3: the contract
 * between microsandbox's runtimes (one writer per running sandbox) and every reader, published
 * because the format is a specification, not an implementation detail (the reader's internals and
 * {@link io.microsandbox.metrics.registry.writer.RegistryWriter} both follow it). Every number here
 * is a fact of the format; nothing is tunable. The golden images in registry-reader's test
 * resources ({@code golden/}, written by microsandbox's own registry code) are the ground truth the
 * tests hold this class to.
 *
 * <p>The object: {@code /msb-met-<fnv1a64(home)>-v3} (see {@code RegistryName}), mode 0600, {@code
 * HEADER_LEN + capacity * SLOT_LEN} bytes (default capacity 1024, about 512 KiB), fixed when first
 * created. Integers are little-endian (native order on x86_64 and aarch64); u64 fields are
 * unsigned.
 *
 * <pre>
 * Header, 256 bytes at offset 0
 *   0x00 u64        magic              0x313054454d42534d, the ASCII bytes "MSBMET01"
 *   0x08 u32        version            3
 *   0x0c u32        header_len         256
 *   0x10 u32        slot_len           512
 *   0x14 u32        capacity           number of slots
 *   0x18 atomic u32 state              0 uninit, 1 initializing, 2 ready
 *   0x20 i64        created_at_ms      Unix ms the object was created
 *   0x28 atomic u64 global_generation  counter slot generations are minted from
 *   0x30 208 bytes  reserved
 *
 * Slot i, 512 bytes at offset 256 + i * 512
 *   0x00 atomic u32 state              0 free, 1 reserved, 2 active, 3 stale
 *   0x08 atomic u64 generation         bumped every time the slot is reused or released
 *   0x10 atomic u64 seq                seqlock counter, odd while a writer is mid-write
 *   0x18 i32        sandbox_id         catalog sandbox id
 *   0x1c i32        run_id             catalog run id (0 until activated)
 *   0x20 i32        pid                host pid of the writing runtime (0 until activated)
 *   0x28 i64        started_at_ms      Unix ms the sandbox process started
 *   0x30 i64        sampled_at_ms      Unix ms of the latest sample; 0 = never sampled
 *   0x38 u32        sample_flags       which optional fields hold values (below)
 *   0x40 u64        memory_limit_bytes configured guest memory limit
 *   0x48 u64        vcpu_time_ns       cumulative guest vCPU time, all vCPUs
 *   0x50 u32        cpu_percent_bits   f32 bits: percent of one vCPU (2 vCPUs busy = 200.0)
 *   0x58 u64        memory_bytes                 guest-used memory
 *   0x60 u64        memory_available_bytes       guest-available memory
 *   0x68 u64        memory_host_resident_bytes   host-resident guest memory
 *   0x70 u64        disk_read_bytes              cumulative
 *   0x78 u64        disk_write_bytes             cumulative
 *   0x80 u64        net_rx_bytes                 cumulative, runtime to guest
 *   0x88 u64        net_tx_bytes                 cumulative, guest to runtime
 *   0x90 u64        upper_used_bytes             used bytes of the writable (OCI upper) filesystem
 *   0x98 u64        upper_free_bytes             free bytes of it
 *   0xa0 u64        upper_host_allocated_bytes   host bytes allocated for the writable image
 *   0xa8 u16        name_len           valid bytes of name, at most 128
 *   0xb0 128 bytes  name               UTF-8 sandbox name (decoded leniently)
 *   0x130 208 bytes tail, reserved
 *
 * sample_flags: bit 0 cpu_percent and vcpu_time_ns, 1 memory_bytes, 2 memory_available_bytes,
 *   3 memory_host_resident_bytes, 4 upper_used_bytes, 5 upper_free_bytes,
 *   6 upper_host_allocated_bytes. Bits 2..6 mark fields absent when clear; memory_bytes, cpu and
 *   vcpu time are plain values (0 when not sourced).
 *
 * Slot life: free -&gt; reserved (sandbox_id, name, limit; new generation) -&gt; active (run_id,
 *   pid, started_at) -&gt; a sample about once a second -&gt; stale (clean exit, last sample kept)
 *   or free. A runtime killed with SIGKILL leaves its slot active with a frozen sample.
 * </pre>
 *
 * <p>A writer makes {@code seq} odd (compare-and-set from even), stores the fields, then makes it
 * even again; the reader's {@code internal.SlotReader} shows how a reader reads around that. The
 * sizes above are checked when this class is loaded: a table edited out of step with itself fails
 * the reader's first use (and every test) instead of reading garbage.
 */
public final class RegistryLayout {
  private RegistryLayout() {}

  /** {@code MSBMET01} read as a little-endian u64. */
  public static final long MAGIC = 0x313054454d42534dL;

  /** The only layout version this reader understands. */
  public static final int VERSION = 3;

  /** Size of the header in bytes. */
  public static final int HEADER_LEN = 256;

  /** Size of one slot in bytes. */
  public static final int SLOT_LEN = 512;

  /** The reserved bytes that end the header (from 0x30). */
  public static final int HEADER_RESERVED_LEN = 208;

  /** The reserved bytes that end a slot (from 0x130). */
  public static final int SLOT_TAIL_LEN = 208;

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

  // Start-up checks of the table above: fields in order, each within its record, the reserved
  // tails ending exactly at the record's length, one offset per sample field.
  static {
    requireOrdered(
        "header",
        new int[][] {
          {H_MAGIC, 8},
          {H_VERSION, 4},
          {H_HEADER_LEN, 4},
          {H_SLOT_LEN, 4},
          {H_CAPACITY, 4},
          {H_STATE, 4},
          {H_CREATED_AT_MS, 8},
          {H_GLOBAL_GENERATION, 8}
        },
        HEADER_LEN - HEADER_RESERVED_LEN);
    requireOrdered(
        "slot",
        new int[][] {
          {S_STATE, 4},
          {S_GENERATION, 8},
          {S_SEQ, 8},
          {S_SANDBOX_ID, 4},
          {S_RUN_ID, 4},
          {S_PID, 4},
          {S_STARTED_AT_MS, 8},
          {S_SAMPLED_AT_MS, 8},
          {S_SAMPLE_FLAGS, 4},
          {S_MEMORY_LIMIT_BYTES, 8},
          {S_VCPU_TIME_NS, 8},
          {S_CPU_PERCENT_BITS, 4},
          {S_MEMORY_BYTES, 8},
          {S_MEMORY_AVAILABLE_BYTES, 8},
          {S_MEMORY_HOST_RESIDENT_BYTES, 8},
          {S_DISK_READ_BYTES, 8},
          {S_DISK_WRITE_BYTES, 8},
          {S_NET_RX_BYTES, 8},
          {S_NET_TX_BYTES, 8},
          {S_UPPER_USED_BYTES, 8},
          {S_UPPER_FREE_BYTES, 8},
          {S_UPPER_HOST_ALLOCATED_BYTES, 8},
          {S_NAME_LEN, 2},
          {S_NAME, NAME_MAX}
        },
        SLOT_LEN - SLOT_TAIL_LEN);
    if (SAMPLE_FIELD_OFFSETS.length != SampleField.values().length) {
      throw new IllegalStateException(
          "registry layout: "
              + SAMPLE_FIELD_OFFSETS.length
              + " sample field offsets for "
              + SampleField.values().length
              + " sample fields");
    }
  }

  /**
   * Checks that {@code fields} ({offset, size}, in table order) are naturally aligned, do not
   * overlap and end exactly at {@code end}, where the record's reserved bytes begin.
   */
  static void requireOrdered(String record, int[][] fields, int end) {
    int next = 0;
    for (int[] field : fields) {
      int offset = field[0];
      int size = field[1];
      if (offset < next || (size <= 8 && offset % size != 0)) {
        throw new IllegalStateException(
            "registry layout: "
                + record
                + " field at 0x"
                + Integer.toHexString(offset)
                + " is"
                + " misplaced");
      }
      next = offset + size;
    }
    if (next != end) {
      throw new IllegalStateException(
          "registry layout: " + record + " fields end at " + next + ", expected " + end);
    }
  }
}
