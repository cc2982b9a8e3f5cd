package io.microsandbox.metrics.collector.internal;

import io.microsandbox.metrics.collector.SandboxMetadata;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Hands out one shared {@link SampleIdentity} per distinct sandbox identity. Remembers only the
 * identities seen in the previous and the current tick, so it stays as small as the registry: an
 * identity that disappears is forgotten (buffered collections keep their own reference). Used by
 * the collect thread only; not thread-safe.
 *
 * <p>Kept by slot, and compared field by field with the sample (the metadata by reference first:
 * sources hand out the same instance while nothing changed), so that a steady tick allocates no
 * identity, no map entry and hashes no label map: this runs for every sandbox every tick.
 */
public final class IdentityInterner {
  // registry slots are small indexes; anything else (a custom source) is kept in a map
  private static final int MAX_INDEXED_SLOT = 1 << 16;

  private @Nullable SampleIdentity[] bySlot = new SampleIdentity[64];
  private long[] seenInTick = new long[64];
  private Map<Integer, SampleIdentity> otherThisTick = new HashMap<>();
  private Map<Integer, SampleIdentity> otherLastTick = new HashMap<>();
  private long tick = 1;
  private int size;

  /** The identity of {@code s} with {@code metadata}: the one already kept when equal. */
  SampleIdentity intern(SandboxSnapshot s, SandboxMetadata metadata) {
    int slot = s.slot();
    if (slot < 0 || slot >= MAX_INDEXED_SLOT) {
      SampleIdentity known = otherThisTick.get(slot);
      if (known == null) {
        known = otherLastTick.get(slot);
      }
      if (known == null || !known.describes(s, metadata)) {
        known = SampleIdentity.of(s, metadata);
      }
      otherThisTick.put(slot, known);
      return known;
    }
    if (slot >= bySlot.length) {
      int n = Math.max(slot + 1, bySlot.length * 2);
      bySlot = Arrays.copyOf(bySlot, n);
      seenInTick = Arrays.copyOf(seenInTick, n);
    }
    SampleIdentity known = bySlot[slot];
    if (known == null || !known.describes(s, metadata)) {
      known = SampleIdentity.of(s, metadata);
      bySlot[slot] = known;
    }
    seenInTick[slot] = tick;
    return known;
  }

  /** Ends a tick: identities not seen during it are forgotten. */
  void endTick() {
    int kept = 0;
    for (int i = 0; i < bySlot.length; i++) {
      if (bySlot[i] != null) {
        if (seenInTick[i] == tick) {
          kept++;
        } else {
          bySlot[i] = null;
        }
      }
    }
    Map<Integer, SampleIdentity> recycled = otherLastTick;
    recycled.clear();
    otherLastTick = otherThisTick;
    otherThisTick = recycled;
    size = kept + otherLastTick.size();
    tick++;
  }

  /** Identities remembered from the last complete tick (for tests). */
  int size() {
    return size;
  }
}
