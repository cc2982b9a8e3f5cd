package io.microsandbox.metrics.opentelemetry.internal;

import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Each sandbox's point attributes as the OTLP exporter writes them: its catalog labels (an empty
 * key skipped), then {@code sandbox.name}, {@code sandbox.id} and the opt-in {@code sandbox.run_id}
 * / {@code sandbox.pid} (integers), which win over a label of the same key. Built once per sandbox
 * and kept while the sandbox keeps its identity and labels; forgotten one collection after it was
 * last seen. Not thread-safe: one observation at a time (the SDK serialises a callback's runs).
 */
public final class SandboxAttributes {
  /** Attribute: the sandbox name. */
  public static final AttributeKey<String> SANDBOX_NAME = AttributeKey.stringKey("sandbox.name");

  /** Attribute: the catalog sandbox id. */
  public static final AttributeKey<Long> SANDBOX_ID = AttributeKey.longKey("sandbox.id");

  /** Attribute (opt-in): the run id. */
  public static final AttributeKey<Long> SANDBOX_RUN_ID = AttributeKey.longKey("sandbox.run_id");

  /** Attribute (opt-in): the runtime's pid. */
  public static final AttributeKey<Long> SANDBOX_PID = AttributeKey.longKey("sandbox.pid");

  private static final Set<String> IDENTITY =
      Set.of(
          SANDBOX_NAME.getKey(),
          SANDBOX_ID.getKey(),
          SANDBOX_RUN_ID.getKey(),
          SANDBOX_PID.getKey());

  private record Key(String name, int id, int runId, int pid, Map<String, String> labels) {}

  private final boolean emitRunId;
  private final boolean emitPid;
  private Map<Key, Attributes> current = new HashMap<>();
  private Map<Key, Attributes> previous = new HashMap<>();

  /**
   * Creates the cache.
   *
   * @param emitRunId add {@code sandbox.run_id}
   * @param emitPid add {@code sandbox.pid}
   */
  public SandboxAttributes(boolean emitRunId, boolean emitPid) {
    this.emitRunId = emitRunId;
    this.emitPid = emitPid;
  }

  /** The attributes of {@code s} with {@code labels}. */
  public Attributes of(SandboxSnapshot s, Map<String, String> labels) {
    Key k = new Key(s.name(), s.sandboxId(), s.runId(), s.pid(), labels);
    Attributes a = current.get(k);
    if (a == null) {
      a = previous.remove(k);
      if (a == null) {
        a = build(s, labels);
      }
      current.put(k, a);
    }
    return a;
  }

  /** Ends one collection's observation: what it did not use is forgotten at the next end. */
  public void endCollection() {
    Map<Key, Attributes> recycled = previous;
    recycled.clear();
    previous = current;
    current = recycled;
  }

  private Attributes build(SandboxSnapshot s, Map<String, String> labels) {
    AttributesBuilder b = Attributes.builder();
    labels.forEach(
        (k, v) -> {
          if (!k.isEmpty() && !IDENTITY.contains(k)) {
            b.put(k, v);
          }
        });
    b.put(SANDBOX_NAME, s.name());
    b.put(SANDBOX_ID, (long) s.sandboxId());
    if (emitRunId) {
      b.put(SANDBOX_RUN_ID, (long) s.runId());
    }
    if (emitPid) {
      b.put(SANDBOX_PID, (long) s.pid());
    }
    return b.build();
  }
}
