package io.microsandbox.metrics.otel.internal;

import java.util.Optional;

/**
 * The {@code partial_success} of an OTLP {@code ExportMetricsServiceResponse}: how many points the
 * backend rejected, and why. Decoded by hand (two fields) to keep the protobuf classes out of the
 * runtime.
 */
public final class PartialSuccess {
  private final long rejectedPoints;
  private final String message;

  private PartialSuccess(long rejectedPoints, String message) {
    this.rejectedPoints = rejectedPoints;
    this.message = message;
  }

  /** Points the backend rejected. */
  public long rejectedPoints() {
    return rejectedPoints;
  }

  /** The backend's explanation; may be empty. */
  public String message() {
    return message;
  }

  /**
   * The partial success in a response body, if the backend reported one (rejected points above
   * zero, or a warning message); empty for a plain success or a body that does not parse.
   */
  public static Optional<PartialSuccess> parse(byte[] body) {
    if (body == null) {
      return Optional.empty();
    }
    ProtoFields response = new ProtoFields(body, 0, body.length);
    // ExportMetricsServiceResponse { ExportMetricsPartialSuccess partial_success = 1; }
    while (response.next()) {
      if (response.field() == 1 && response.isBytes()) {
        ProtoFields partial = response.nested();
        long rejected = 0;
        String message = "";
        // { int64 rejected_data_points = 1; string error_message = 2; }
        while (partial.next()) {
          if (partial.field() == 1 && !partial.isBytes()) {
            rejected = partial.varint();
          } else if (partial.field() == 2 && partial.isBytes()) {
            message = partial.string();
          }
        }
        if (!partial.ok() || (rejected == 0 && message.isEmpty())) {
          return Optional.empty();
        }
        return Optional.of(new PartialSuccess(rejected, message));
      }
    }
    return Optional.empty();
  }
}
