package io.microsandbox.metrics.otel.internal;

import io.microsandbox.metrics.otel.internal.OtlpFieldNumbers.NumberDataPoint;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each sandbox's point attributes, encoded once and kept while its identity and labels are
 * unchanged; forgotten after a flush that did not use them. Also builds, once per attribute set,
 * the form with labels dropped for a sample too big for any request.
 *
 * <p>Attributes: the sandbox's labels, then {@code sandbox.name}, {@code sandbox.id} and the opt-in
 * {@code sandbox.run_id} / {@code sandbox.pid}, which win over a label of the same key; labels with
 * an empty key are skipped; sorted by key.
 *
 * <p>Not thread-safe: one flush at a time.
 */
final class SandboxAttributeCache {
  // the encoder's logger, as before the cache was its own class: a configured category keeps
  // working
  private static final Logger logger = LoggerFactory.getLogger(OtlpRequestEncoder.class);

  private final boolean emitRunId;
  private final boolean emitPid;
  private Map<AttributesKey, SandboxAttributes> thisFlush = new HashMap<>();
  private Map<AttributesKey, SandboxAttributes> lastFlush = new HashMap<>();
  private final AttributesKey probe = new AttributesKey();

  SandboxAttributeCache(boolean emitRunId, boolean emitPid) {
    this.emitRunId = emitRunId;
    this.emitPid = emitPid;
  }

  /** The attributes of {@code s} with {@code labels}, from the cache when unchanged. */
  SandboxAttributes attributesOf(SandboxSnapshot s, Map<String, String> labels) {
    probe.set(s.name(), s.sandboxId(), s.runId(), s.pid(), labels);
    SandboxAttributes a = thisFlush.get(probe);
    if (a != null) {
      return a;
    }
    AttributesKey key = probe.copy();
    a = lastFlush.remove(key);
    if (a == null) {
      a = new SandboxAttributes(entries(s, labels));
    }
    thisFlush.put(key, a);
    return a;
  }

  /**
   * The attributes of a sample too big for any request: its labels dropped, largest first, until
   * {@code points} points fit in {@code room} bytes; {@link SandboxAttributes#NONE} when even the
   * identity attributes do not fit. Built and logged once per attribute set.
   */
  SandboxAttributes trimmed(
      SandboxSnapshot s, SandboxAttributes full, int points, long room, long maxRequestBytes) {
    SandboxAttributes known = full.trimmed;
    if (known != null) {
      return known;
    }
    List<Map.Entry<String, Object>> kept = new ArrayList<>(full.entries.entrySet());
    int dropped = 0;
    SandboxAttributes t = full;
    while ((long) points * t.pointBytes > room) {
      Map.Entry<String, Object> largest = null;
      for (Map.Entry<String, Object> e : kept) {
        if (!isIdentityKey(e.getKey())
            && (largest == null || encodedSize(e) > encodedSize(largest))) {
          largest = e;
        }
      }
      if (largest == null) {
        t = SandboxAttributes.NONE;
        break;
      }
      kept.remove(largest);
      dropped++;
      TreeMap<String, Object> m = new TreeMap<>();
      kept.forEach(e -> m.put(e.getKey(), e.getValue()));
      t = new SandboxAttributes(m);
    }
    full.trimmed = t;
    if (t == SandboxAttributes.NONE) {
      logger.warn(
          "sandbox id {}: one sample is larger than the request limit of {} bytes even without"
              + " labels; its samples are dropped",
          s.sandboxId(),
          maxRequestBytes);
    } else {
      logger.warn(
          "sandbox id {}: {} of its labels dropped from its points: with them one sample is"
              + " larger than the request limit of {} bytes",
          s.sandboxId(),
          dropped,
          maxRequestBytes);
    }
    return t;
  }

  /** Forgets attributes not used during the flush that just ended. */
  void endFlush() {
    Map<AttributesKey, SandboxAttributes> recycled = lastFlush;
    recycled.clear();
    lastFlush = thisFlush;
    thisFlush = recycled;
  }

  private static long encodedSize(Map.Entry<String, Object> e) {
    ProtoWriter w = new ProtoWriter(64);
    MetricsRequestWriter.keyValue(w, NumberDataPoint.ATTRIBUTES, e.getKey(), e.getValue());
    return w.length();
  }

  private TreeMap<String, Object> entries(SandboxSnapshot s, Map<String, String> labels) {
    TreeMap<String, Object> m = new TreeMap<>();
    labels.forEach(
        (k, v) -> {
          if (!k.isEmpty() && !isIdentityKey(k)) {
            m.put(k, v);
          }
        });
    m.put(OtlpRequestEncoder.SANDBOX_NAME, s.name());
    m.put(OtlpRequestEncoder.SANDBOX_ID, (long) s.sandboxId());
    if (emitRunId) {
      m.put(OtlpRequestEncoder.SANDBOX_RUN_ID, (long) s.runId());
    }
    if (emitPid) {
      m.put(OtlpRequestEncoder.SANDBOX_PID, (long) s.pid());
    }
    return m;
  }

  // A label named like an identity attribute would sit next to it with another type (string vs
  // int), and a backend would see two values for one key: the identity attribute wins.
  private boolean isIdentityKey(String key) {
    return key.equals(OtlpRequestEncoder.SANDBOX_NAME)
        || key.equals(OtlpRequestEncoder.SANDBOX_ID)
        || (emitRunId && key.equals(OtlpRequestEncoder.SANDBOX_RUN_ID))
        || (emitPid && key.equals(OtlpRequestEncoder.SANDBOX_PID));
  }

  /**
   * What a sample's attributes depend on. Mutable only for {@link #probe}; stored keys are never
   * changed.
   */
  private static final class AttributesKey {
    private String name = "";
    private int sandboxId;
    private int runId;
    private int pid;
    private Map<String, String> labels = Map.of();
    private int hash;

    void set(String name, int sandboxId, int runId, int pid, Map<String, String> labels) {
      this.name = name;
      this.sandboxId = sandboxId;
      this.runId = runId;
      this.pid = pid;
      this.labels = labels;
      // without the labels: hashing a map walks it, and one identity rarely has two label sets
      this.hash = ((name.hashCode() * 31 + sandboxId) * 31 + runId) * 31 + pid;
    }

    AttributesKey copy() {
      AttributesKey k = new AttributesKey();
      k.set(name, sandboxId, runId, pid, labels);
      return k;
    }

    @Override
    public boolean equals(@Nullable Object o) {
      if (!(o instanceof AttributesKey)) {
        return false;
      }
      AttributesKey k = (AttributesKey) o;
      return sandboxId == k.sandboxId
          && runId == k.runId
          && pid == k.pid
          && name.equals(k.name)
          // label maps are shared instances while unchanged: identity first, equals as fallback
          && (labels == k.labels || Objects.equals(labels, k.labels));
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
