package io.microsandbox.metrics.collector;

import io.microsandbox.metrics.collector.spool.SpoolStats;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The collector's telemetry (its own metrics) as one exporter's worker saw them when it made a
 * batch: cumulative counters since start and the latest gauges. Exporters that can ship metrics
 * about themselves (OTLP) send these alongside the sandbox series. Immutable.
 *
 * <p>Counts are of the exporter's own pipeline: its exports, its buffer, its drops. Registry
 * figures (scan duration, skipped slots) are shared by all exporters.
 */
public final class CollectorTelemetry {
  /** Telemetry of a collector that has done nothing yet. */
  public static final CollectorTelemetry EMPTY = builder().build();

  private final long exportsSuccess;
  private final long exportsFailure;
  private final long batchesRejected;
  private final long collectionsDropped;
  private final long lastSuccessEpochMs;
  private final long lastExportDurationNanos;
  private final long pointsExported;
  private final long pointsRejected;
  private final int bufferDepth;
  private final long lastScanDurationNanos;
  private final long slotsSkipped;
  private final long collectionsDroppedForAge;
  private final @Nullable SpoolStats spool;
  private final long scansSkipped;
  private final long labelsDropped;

  private CollectorTelemetry(Builder b) {
    this.collectionsDroppedForAge = b.collectionsDroppedForAge;
    this.spool = b.spool;
    this.exportsSuccess = b.exportsSuccess;
    this.exportsFailure = b.exportsFailure;
    this.batchesRejected = b.batchesRejected;
    this.collectionsDropped = b.collectionsDropped;
    this.lastSuccessEpochMs = b.lastSuccessEpochMs;
    this.lastExportDurationNanos = b.lastExportDurationNanos;
    this.pointsExported = b.pointsExported;
    this.pointsRejected = b.pointsRejected;
    this.bufferDepth = b.bufferDepth;
    this.lastScanDurationNanos = b.lastScanDurationNanos;
    this.slotsSkipped = b.slotsSkipped;
    this.scansSkipped = b.scansSkipped;
    this.labelsDropped = b.labelsDropped;
  }

  /** A builder with every figure zero. */
  public static Builder builder() {
    return new Builder();
  }

  /** Successful exports since start. */
  public long exportsSuccess() {
    return exportsSuccess;
  }

  /** Failed exports since start (timeouts, transport errors, non-2xx, rejections). */
  public long exportsFailure() {
    return exportsFailure;
  }

  /** Batches dropped because the backend rejected them permanently, since start. */
  public long batchesRejected() {
    return batchesRejected;
  }

  /** Collections dropped since start, for any reason (buffer or spool cap, spool age cap). */
  public long collectionsDropped() {
    return collectionsDropped;
  }

  /** Of {@link #collectionsDropped()}: those dropped because they were too old (spool age cap). */
  public long collectionsDroppedForAge() {
    return collectionsDroppedForAge;
  }

  /** Of {@link #collectionsDropped()}: those dropped to stay within a cap of memory or bytes. */
  public long collectionsDroppedForCapacity() {
    return collectionsDropped - collectionsDroppedForAge;
  }

  /** The exporter's spool figures; empty when it buffers in memory only. */
  public Optional<SpoolStats> spool() {
    return Optional.ofNullable(spool);
  }

  /** Unix milliseconds of the last successful export, 0 if none yet. */
  public long lastSuccessEpochMs() {
    return lastSuccessEpochMs;
  }

  /** Wall time of the latest export attempt, nanoseconds; 0 if none yet. */
  public long lastExportDurationNanos() {
    return lastExportDurationNanos;
  }

  /** Data points exported successfully since start. */
  public long pointsExported() {
    return pointsExported;
  }

  /** Data points the backend reported as rejected (partial success) since start. */
  public long pointsRejected() {
    return pointsRejected;
  }

  /** Collections waiting in the exporter's buffer when the batch was made (the batch's own). */
  public int bufferDepth() {
    return bufferDepth;
  }

  /** Duration of the latest registry scan, nanoseconds. */
  public long lastScanDurationNanos() {
    return lastScanDurationNanos;
  }

  /** Registry slots skipped since start (torn, stuck mid-write, corrupt). */
  public long slotsSkipped() {
    return slotsSkipped;
  }

  /**
   * Registry scans skipped since start: the read failed as a whole (the registry is corrupt, not
   * accessible, or shrank while it was read) and that tick produced no collection.
   */
  public long scansSkipped() {
    return scansSkipped;
  }

  /**
   * Labels withheld since start because they exceeded the collector's label limits (a value too
   * long, or more labels than allowed on one sandbox); see {@code MetricsCollector.Builder}.
   */
  public long labelsDropped() {
    return labelsDropped;
  }

  @Override
  public String toString() {
    return "CollectorTelemetry{exportsSuccess="
        + exportsSuccess
        + ", exportsFailure="
        + exportsFailure
        + ", batchesRejected="
        + batchesRejected
        + ", collectionsDropped="
        + collectionsDropped
        + ", lastSuccessEpochMs="
        + lastSuccessEpochMs
        + ", lastExportDurationNanos="
        + lastExportDurationNanos
        + ", pointsExported="
        + pointsExported
        + ", pointsRejected="
        + pointsRejected
        + ", bufferDepth="
        + bufferDepth
        + ", lastScanDurationNanos="
        + lastScanDurationNanos
        + ", slotsSkipped="
        + slotsSkipped
        + ", collectionsDroppedForAge="
        + collectionsDroppedForAge
        + (spool == null ? "" : ", spool=" + spool)
        + ", scansSkipped="
        + scansSkipped
        + ", labelsDropped="
        + labelsDropped
        + '}';
  }

  /** Builds {@link CollectorTelemetry}. */
  public static final class Builder {
    private long exportsSuccess;
    private long exportsFailure;
    private long batchesRejected;
    private long collectionsDropped;
    private long lastSuccessEpochMs;
    private long lastExportDurationNanos;
    private long pointsExported;
    private long pointsRejected;
    private int bufferDepth;
    private long lastScanDurationNanos;
    private long slotsSkipped;
    private long collectionsDroppedForAge;
    private @Nullable SpoolStats spool;
    private long scansSkipped;
    private long labelsDropped;

    private Builder() {}

    /** Sets {@link CollectorTelemetry#collectionsDroppedForAge()}. */
    public Builder collectionsDroppedForAge(long v) {
      collectionsDroppedForAge = v;
      return this;
    }

    /** Sets {@link CollectorTelemetry#spool()}. */
    public Builder spool(SpoolStats v) {
      spool = v;
      return this;
    }

    /** Sets {@link CollectorTelemetry#exportsSuccess()}. */
    public Builder exportsSuccess(long v) {
      exportsSuccess = v;
      return this;
    }

    /** Sets {@link CollectorTelemetry#exportsFailure()}. */
    public Builder exportsFailure(long v) {
      exportsFailure = v;
      return this;
    }

    /** Sets {@link CollectorTelemetry#batchesRejected()}. */
    public Builder batchesRejected(long v) {
      batchesRejected = v;
      return this;
    }

    /** Sets {@link CollectorTelemetry#collectionsDropped()}. */
    public Builder collectionsDropped(long v) {
      collectionsDropped = v;
      return this;
    }

    /** Sets {@link CollectorTelemetry#lastSuccessEpochMs()}. */
    public Builder lastSuccessEpochMs(long v) {
      lastSuccessEpochMs = v;
      return this;
    }

    /** Sets {@link CollectorTelemetry#lastExportDurationNanos()}. */
    public Builder lastExportDurationNanos(long v) {
      lastExportDurationNanos = v;
      return this;
    }

    /** Sets {@link CollectorTelemetry#pointsExported()}. */
    public Builder pointsExported(long v) {
      pointsExported = v;
      return this;
    }

    /** Sets {@link CollectorTelemetry#pointsRejected()}. */
    public Builder pointsRejected(long v) {
      pointsRejected = v;
      return this;
    }

    /** Sets {@link CollectorTelemetry#bufferDepth()}. */
    public Builder bufferDepth(int v) {
      bufferDepth = v;
      return this;
    }

    /** Sets {@link CollectorTelemetry#lastScanDurationNanos()}. */
    public Builder lastScanDurationNanos(long v) {
      lastScanDurationNanos = v;
      return this;
    }

    /** Sets {@link CollectorTelemetry#slotsSkipped()}. */
    public Builder slotsSkipped(long v) {
      slotsSkipped = v;
      return this;
    }

    /** Sets {@link CollectorTelemetry#scansSkipped()}. */
    public Builder scansSkipped(long v) {
      scansSkipped = v;
      return this;
    }

    /** Sets {@link CollectorTelemetry#labelsDropped()}. */
    public Builder labelsDropped(long v) {
      labelsDropped = v;
      return this;
    }

    /** Builds the immutable figures. */
    public CollectorTelemetry build() {
      return new CollectorTelemetry(this);
    }
  }
}
