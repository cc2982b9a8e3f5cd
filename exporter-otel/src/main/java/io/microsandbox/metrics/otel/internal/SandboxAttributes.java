package io.microsandbox.metrics.otel.internal;

import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One sandbox's point attributes, encoded once: the {@code KeyValue} fields every one of its points
 * copies, and the exact size of such a point. Built and kept by {@link SandboxAttributeCache}.
 */
final class SandboxAttributes {
  /** Marks a sample that cannot fit a request even without its labels. */
  static final SandboxAttributes NONE = new SandboxAttributes(new TreeMap<>());

  /** Key to value (a {@code String} or a {@code Long}), sorted by key as they are encoded. */
  final TreeMap<String, Object> entries;

  /** The encoded {@code attributes} fields of a {@code NumberDataPoint}. */
  final byte[] bytes;

  /** The length of one point message carrying these attributes. */
  final int pointLength;

  /** The bytes of one point as a field: tag, length prefix and message. */
  final int pointBytes;

  // the labels-dropped form, for a sample too big for a request (NONE: cannot fit at all); set
  // once by the cache
  @Nullable SandboxAttributes trimmed;

  SandboxAttributes(TreeMap<String, Object> entries) {
    this.entries = entries;
    this.bytes = MetricsRequestWriter.pointAttributes(entries);
    this.pointLength = bytes.length + MetricsRequestWriter.POINT_FIXED_BYTES;
    this.pointBytes = ProtoWriter.lenFieldSize(pointLength);
  }
}
