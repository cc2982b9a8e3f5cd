package io.microsandbox.metrics.collector;

import java.util.Objects;
import java.util.Optional;

/**
 * What one exporter's part of a {@link RunningCollector#flush()} did. Immutable.
 *
 * @param state what happened
 * @param result the export call's result ({@link ExportResult#fatal} for {@link State#STOPPED});
 *     empty when nothing was buffered ({@link State#NOTHING_TO_EXPORT})
 */
public record ExporterFlush(State state, Optional<ExportResult> result) {

  /** What one exporter's flush did. */
  public enum State {
    /** The backend accepted what was buffered ({@link ExportResult.Kind#SUCCESS}). */
    EXPORTED,
    /** Nothing was buffered: no export call was made. */
    NOTHING_TO_EXPORT,
    /** The export failed and is retried later ({@link ExportResult.Kind#RETRYABLE}). */
    RETRYABLE,
    /** The backend refused the batch for good ({@link ExportResult.Kind#REJECTED}). */
    REJECTED,
    /**
     * The exporter is stopped for good by a {@link ExportResult#fatal} result (see {@link
     * ExporterStatus#fatalError()}), by this flush or earlier; nothing is exported through it.
     */
    STOPPED
  }

  /** Checks that the result is present exactly when there was something to export. */
  public ExporterFlush {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(result, "result");
    if ((state != State.NOTHING_TO_EXPORT) != result.isPresent()) {
      throw new IllegalArgumentException(state + " with result " + result);
    }
  }

  /** The flush whose export returned {@code result} (or that a fatal result stopped earlier). */
  public static ExporterFlush of(ExportResult result) {
    State s =
        result.isFatal()
            ? State.STOPPED
            : switch (result.kind()) {
              case SUCCESS -> State.EXPORTED;
              case RETRYABLE -> State.RETRYABLE;
              case REJECTED -> State.REJECTED;
            };
    return new ExporterFlush(s, Optional.of(result));
  }

  /** The flush of an exporter with nothing buffered. */
  public static ExporterFlush nothingToExport() {
    return new ExporterFlush(State.NOTHING_TO_EXPORT, Optional.empty());
  }

  /** Whether nothing is left to send: exported, or nothing was buffered. */
  public boolean isSuccess() {
    return state == State.EXPORTED || state == State.NOTHING_TO_EXPORT;
  }

  @Override
  public String toString() {
    return result.map(r -> state + " " + r).orElse(state.toString());
  }
}
