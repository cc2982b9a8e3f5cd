package io.microsandbox.metrics.collector.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * Hands out one shared {@link SampleIdentity} per distinct sandbox identity. Remembers only the
 * identities seen in the previous and the current tick, so it stays as small as the registry: an
 * identity that disappears is forgotten (buffered collections keep their own reference). Used by
 * the collect thread only; not thread-safe.
 */
public final class IdentityInterner {
  private Map<SampleIdentity, SampleIdentity> previous = new HashMap<>();
  private Map<SampleIdentity, SampleIdentity> current = new HashMap<>();

  /** The shared instance equal to {@code candidate} (possibly {@code candidate} itself). */
  SampleIdentity intern(SampleIdentity candidate) {
    SampleIdentity shared = current.get(candidate);
    if (shared == null) {
      shared = previous.getOrDefault(candidate, candidate);
      current.put(shared, shared);
    }
    return shared;
  }

  /** Ends a tick: identities not seen during it are forgotten. */
  void endTick() {
    previous = current;
    current = new HashMap<>(Math.max(16, previous.size() * 2));
  }

  /** Identities remembered from the last complete tick (for tests). */
  int size() {
    return previous.size();
  }
}
