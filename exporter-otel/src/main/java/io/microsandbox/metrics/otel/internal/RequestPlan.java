package io.microsandbox.metrics.otel.internal;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.series.SandboxSeries;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The samples of the request being filled, with their attributes and allocations, and per series
 * the exact bytes and count of its points: what {@link MetricsRequestWriter} needs to write the
 * request with every length prefix known in advance. Reused across requests.
 */
final class RequestPlan {
  private final SandboxSeries[] series;
  private @Nullable SandboxSnapshot[] samples = new SandboxSnapshot[256];
  private @Nullable SandboxAttributes[] attributes = new SandboxAttributes[256];
  private @Nullable Allocation[] allocations = new Allocation[256];
  private int count;
  private long bytes;
  private long points;
  private final long[] seriesBytes;
  private final int[] seriesPoints;

  RequestPlan(SandboxSeries[] series) {
    this.series = series;
    this.seriesBytes = new long[series.length];
    this.seriesPoints = new int[series.length];
  }

  /** Adds a sample with its attributes: one point for each series that applies to it. */
  void add(SandboxSnapshot s, SandboxAttributes a, Allocation allocation) {
    if (count == samples.length) {
      samples = Arrays.copyOf(samples, count * 2);
      attributes = Arrays.copyOf(attributes, count * 2);
      allocations = Arrays.copyOf(allocations, count * 2);
    }
    samples[count] = s;
    allocations[count] = allocation;
    attributes[count++] = a;
    for (int k = 0; k < series.length; k++) {
      if (series[k].appliesTo(s, allocation)) {
        seriesBytes[k] += a.pointBytes;
        seriesPoints[k]++;
        bytes += a.pointBytes;
        points++;
      }
    }
  }

  /** Empties the plan, keeping its arrays (and dropping their references to samples). */
  void clear() {
    Arrays.fill(samples, 0, count, null);
    Arrays.fill(attributes, 0, count, null);
    Arrays.fill(allocations, 0, count, null);
    count = 0;
    bytes = 0;
    points = 0;
    Arrays.fill(seriesBytes, 0);
    Arrays.fill(seriesPoints, 0);
  }

  /** Samples planned. */
  int count() {
    return count;
  }

  /** Bytes of every planned point (as fields of their metrics' data). */
  long bytes() {
    return bytes;
  }

  /** Points planned. */
  long points() {
    return points;
  }

  SandboxSnapshot sample(int i) {
    return castNonNull(samples[i]);
  }

  SandboxAttributes attributes(int i) {
    return castNonNull(attributes[i]);
  }

  Allocation allocation(int i) {
    return castNonNull(allocations[i]);
  }

  /** Bytes of the points of series {@code k}. */
  long seriesBytes(int k) {
    return seriesBytes[k];
  }

  /** Points of series {@code k}. */
  int seriesPoints(int k) {
    return seriesPoints[k];
  }

  // entries below count are always set
  private static <T> T castNonNull(@Nullable T t) {
    if (t == null) {
      throw new IllegalStateException("no planned sample at this index");
    }
    return t;
  }
}
