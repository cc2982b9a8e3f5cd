package io.microsandbox.metrics.collector.internal;

import io.microsandbox.metrics.collector.SandboxMetadata;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.SlotState;
import java.util.Objects;

/**
 * The part of a sandbox sample that rarely changes between ticks: slot, state, ids, pid, name,
 * start time, the {@code sample_flags} word and the sandbox's metadata (labels, allocation).
 * Interned by {@link IdentityInterner} so that every buffered collection of the same sandbox points
 * at one instance instead of repeating these fields (the main saving of {@link CompactCollection}).
 * Immutable.
 */
public final class SampleIdentity {
  final int slot;
  final SlotState state;
  final int sandboxId;
  final int runId;
  final int pid;
  final String name;
  final long startedAtMs;
  final int sampleFlags;
  final SandboxMetadata metadata;
  private final int hash;

  SampleIdentity(
      int slot,
      SlotState state,
      int sandboxId,
      int runId,
      int pid,
      String name,
      long startedAtMs,
      int sampleFlags,
      SandboxMetadata metadata) {
    this.slot = slot;
    this.state = state;
    this.sandboxId = sandboxId;
    this.runId = runId;
    this.pid = pid;
    this.name = name;
    this.startedAtMs = startedAtMs;
    this.sampleFlags = sampleFlags;
    this.metadata = metadata;
    int h = Objects.hash(state, name, metadata);
    h = 31 * h + slot;
    h = 31 * h + sandboxId;
    h = 31 * h + runId;
    h = 31 * h + pid;
    h = 31 * h + Long.hashCode(startedAtMs);
    this.hash = 31 * h + sampleFlags;
  }

  /** A new identity with the fields of {@code s}. */
  static SampleIdentity of(SandboxSnapshot s, SandboxMetadata metadata) {
    return new SampleIdentity(
        s.slot(),
        s.state(),
        s.sandboxId(),
        s.runId(),
        s.pid(),
        s.name(),
        s.startedAtMs(),
        s.sampleFlags(),
        metadata);
  }

  /** Whether this is the identity of {@code s} with {@code metadata} (without allocating). */
  boolean describes(SandboxSnapshot s, SandboxMetadata metadata) {
    return slot == s.slot()
        && sandboxId == s.sandboxId()
        && runId == s.runId()
        && pid == s.pid()
        && startedAtMs == s.startedAtMs()
        && sampleFlags == s.sampleFlags()
        && state == s.state()
        && (name == s.name() || name.equals(s.name()))
        && (this.metadata == metadata || this.metadata.equals(metadata));
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SampleIdentity)) {
      return false;
    }
    SampleIdentity s = (SampleIdentity) o;
    return hash == s.hash
        && slot == s.slot
        && sandboxId == s.sandboxId
        && runId == s.runId
        && pid == s.pid
        && startedAtMs == s.startedAtMs
        && sampleFlags == s.sampleFlags
        && state == s.state
        && name.equals(s.name)
        && metadata.equals(s.metadata);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
