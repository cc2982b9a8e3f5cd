package io.microsandbox.metrics.simulator;

import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.util.Random;

/**
 * The resource use of one simulated sandbox, advanced sample by sample: CPU load that follows a
 * slow wave plus noise, memory that grows and shrinks under its limit, disk and network counters
 * that only rise within a run, and a writable filesystem that fills and is cleaned up.
 *
 * <p>A sandbox lives through several runs: {@link #startRun} resets what microsandbox resets on a
 * restart (the cumulative counters and guest memory) and keeps what survives it (the writable
 * filesystem, which is the sandbox's disk image). {@link #resizeMemory} is a live resize: the guest
 * gets the new memory at once, while the registry's {@code memory_limit_bytes} keeps the value its
 * slot was reserved with until the next run, as microsandbox's runtime stamps it once. Not
 * thread-safe; {@link DemoRegistry} drives it.
 */
final class SimulatedSandbox {
  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;

  /** What kind of work a sandbox does; sets the level of every series. */
  enum Profile {
    //          cpu share, cpu swing, memory share, disk B/s, network B/s
    IDLE_DEVBOX(0.02, 0.02, 0.20, 4 * 1024, 2 * 1024),
    WEB(0.25, 0.15, 0.45, 64 * 1024, 512 * 1024),
    API(0.15, 0.10, 0.35, 128 * 1024, 256 * 1024),
    WORKER(0.55, 0.35, 0.60, 2 * MIB, 64 * 1024),
    BUILD(0.80, 0.15, 0.70, 8 * MIB, 1 * MIB);

    final double cpuShare;
    final double cpuSwing;
    final double memoryShare;
    final long diskBytesPerSecond;
    final long networkBytesPerSecond;

    Profile(double cpuShare, double cpuSwing, double memoryShare, long disk, long network) {
      this.cpuShare = cpuShare;
      this.cpuSwing = cpuSwing;
      this.memoryShare = memoryShare;
      this.diskBytesPerSecond = disk;
      this.networkBytesPerSecond = network;
    }
  }

  private final int sandboxId;
  private final String name;
  private final Profile profile;
  private final int vcpus;
  private long memoryLimitBytes;
  private long bootMemoryLimitBytes;
  private final long maxMemoryLimitBytes;
  private final long upperCapacityBytes;
  private final Random random;

  /** Offsets the sandbox's waves so that sandboxes do not move in lockstep. */
  private final double phase;

  private int runId;
  private long startedAtMs;
  private long lastSampleMs;
  private double cpuPercent;
  private double memoryShare;
  private long vcpuTimeNs;
  private long diskReadBytes;
  private long diskWriteBytes;
  private long netRxBytes;
  private long netTxBytes;
  private long upperUsedBytes;
  private long upperHostAllocatedBytes;

  SimulatedSandbox(
      int sandboxId, String name, Profile profile, int vcpus, long memoryLimitBytes, long seed) {
    this.sandboxId = sandboxId;
    this.name = name;
    this.profile = profile;
    this.vcpus = vcpus;
    this.memoryLimitBytes = memoryLimitBytes;
    this.bootMemoryLimitBytes = memoryLimitBytes;
    // room for the live resize the demo plays
    this.maxMemoryLimitBytes = 2 * memoryLimitBytes;
    this.upperCapacityBytes = 4 * GIB;
    this.random = new Random(seed);
    this.phase = random.nextDouble() * 2 * Math.PI;
    // the image starts with the files the sandbox's OCI layers unpacked into the upper layer
    this.upperUsedBytes = (16 + random.nextInt(48)) * MIB;
    this.upperHostAllocatedBytes = upperUsedBytes;
  }

  int sandboxId() {
    return sandboxId;
  }

  String name() {
    return name;
  }

  Profile profile() {
    return profile;
  }

  int vcpus() {
    return vcpus;
  }

  /** The guest memory presented now (the catalog's {@code resources.memory_mib}). */
  long memoryLimitBytes() {
    return memoryLimitBytes;
  }

  /**
   * The hot-plug ceiling of the guest's memory (the catalog's {@code resources.max_memory_mib}).
   */
  long maxMemoryLimitBytes() {
    return maxMemoryLimitBytes;
  }

  /**
   * Resizes the guest's memory live: the guest gets {@code newLimitBytes} at once, its memory in
   * use stays where it is (so its share of the limit moves), and the registry keeps reporting the
   * limit of the run's boot.
   */
  void resizeMemory(long newLimitBytes) {
    if (newLimitBytes <= 0 || newLimitBytes > maxMemoryLimitBytes) {
      throw new IllegalArgumentException(
          "memory must be within 1 B and the ceiling "
              + maxMemoryLimitBytes
              + ": "
              + newLimitBytes);
    }
    memoryShare = memoryShare * memoryLimitBytes / newLimitBytes;
    memoryLimitBytes = newLimitBytes;
  }

  int runId() {
    return runId;
  }

  long startedAtMs() {
    return startedAtMs;
  }

  /** A new run: cumulative counters and guest memory start from zero, as after a restart. */
  void startRun(int runId, long nowMs) {
    this.runId = runId;
    // a new run's slot is reserved with the memory the sandbox boots with now
    this.bootMemoryLimitBytes = memoryLimitBytes;
    this.startedAtMs = nowMs;
    this.lastSampleMs = nowMs;
    this.cpuPercent = 0;
    this.memoryShare = 0.05;
    this.vcpuTimeNs = 0;
    this.diskReadBytes = 0;
    this.diskWriteBytes = 0;
    this.netRxBytes = 0;
    this.netTxBytes = 0;
  }

  /** Advances the model to {@code nowMs} and returns the sample a runtime would write then. */
  SandboxSnapshot sample(long nowMs) {
    double dt = Math.max(0, nowMs - lastSampleMs) / 1000.0;
    lastSampleMs = Math.max(lastSampleMs, nowMs);
    double t = (nowMs - startedAtMs) / 1000.0;

    double wave = Math.sin(2 * Math.PI * t / 120 + phase);
    double load = profile.cpuShare + profile.cpuSwing * wave + 0.05 * random.nextGaussian();
    double target = clamp(load, 0, 1) * 100 * vcpus;
    // smoothed, as the runtime's own cpu_percent is an average over its sampling interval
    cpuPercent = dt == 0 ? cpuPercent : 0.6 * cpuPercent + 0.4 * target;
    vcpuTimeNs += (long) (cpuPercent / 100 * dt * 1e9);

    // memory: drifts toward a level that breathes with the load, never past 95 % of the limit
    double memoryTarget = profile.memoryShare + 0.15 * Math.sin(2 * Math.PI * t / 300 + phase);
    memoryShare +=
        (memoryTarget - memoryShare) * Math.min(1, 0.1 * dt) + 0.01 * random.nextGaussian();
    memoryShare = clamp(memoryShare, 0.03, 0.95);
    long memoryBytes = (long) (memoryShare * memoryLimitBytes);

    double busy = clamp(0.5 + cpuPercent / (100.0 * vcpus), 0.5, 1.5);
    long read = (long) (profile.diskBytesPerSecond * dt * busy * random.nextDouble());
    long written = (long) (profile.diskBytesPerSecond * dt * busy * random.nextDouble() * 0.6);
    diskReadBytes += read;
    diskWriteBytes += written;
    netRxBytes += (long) (profile.networkBytesPerSecond * dt * random.nextDouble());
    netTxBytes += (long) (profile.networkBytesPerSecond * dt * random.nextDouble() * 0.4);

    // the writable layer keeps a share of what is written, and now and then a cleanup frees some
    upperUsedBytes = Math.min(upperUsedBytes + written / 4, upperCapacityBytes * 9 / 10);
    if (random.nextDouble() < 0.02) {
      upperUsedBytes -= (long) (upperUsedBytes * (0.1 + 0.2 * random.nextDouble()));
    }
    // a sparse image file only grows: freed blocks stay allocated on the host
    upperHostAllocatedBytes = Math.max(upperHostAllocatedBytes, roundUp(upperUsedBytes, MIB));

    return SandboxSnapshot.builder()
        .sandboxId(sandboxId)
        .runId(runId)
        .name(name)
        .startedAtMs(startedAtMs)
        .sampledAtMs(nowMs)
        .sampleFlags(SandboxSnapshot.FLAG_CPU | SandboxSnapshot.FLAG_MEMORY)
        .cpuPercent((float) cpuPercent)
        .raw(SampleField.VCPU_TIME_NS, vcpuTimeNs)
        .raw(SampleField.MEMORY_BYTES, memoryBytes)
        .raw(SampleField.MEMORY_LIMIT_BYTES, bootMemoryLimitBytes)
        .value(SampleField.MEMORY_AVAILABLE_BYTES, memoryLimitBytes - memoryBytes)
        .value(
            SampleField.MEMORY_HOST_RESIDENT_BYTES,
            Math.min(memoryLimitBytes, memoryBytes + 24 * MIB))
        .raw(SampleField.DISK_READ_BYTES, diskReadBytes)
        .raw(SampleField.DISK_WRITE_BYTES, diskWriteBytes)
        .raw(SampleField.NET_RX_BYTES, netRxBytes)
        .raw(SampleField.NET_TX_BYTES, netTxBytes)
        .value(SampleField.UPPER_USED_BYTES, upperUsedBytes)
        .value(SampleField.UPPER_FREE_BYTES, upperCapacityBytes - upperUsedBytes)
        .value(SampleField.UPPER_HOST_ALLOCATED_BYTES, upperHostAllocatedBytes)
        .build();
  }

  private static double clamp(double v, double min, double max) {
    return Math.max(min, Math.min(max, v));
  }

  private static long roundUp(long v, long unit) {
    return (v + unit - 1) / unit * unit;
  }
}
