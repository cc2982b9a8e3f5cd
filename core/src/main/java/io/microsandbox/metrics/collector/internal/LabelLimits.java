package io.microsandbox.metrics.collector.internal;

import io.microsandbox.metrics.collector.LogSafe;
import io.microsandbox.metrics.collector.SandboxMetadata;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the labels a {@code MetadataSource} returns, as metric backends bound them, before they
 * reach any exporter: a label whose name or value is longer than its limit (UTF-8 bytes) is
 * dropped, and of the rest a sandbox keeps at most {@code maxLabels}, the first in key order.
 *
 * <pre>
 * MetadataSource --labels--> LabelLimits --bounded labels--> CompactCollection --> every exporter
 *                             | reserved keys (le, quantile, job, instance, __*): renamed by
 *                             |   ReservedLabels (exported_job), one WARN per key
 *                             | over a limit: dropped, one WARN per sandbox and label set,
 *                             v counted (microsandbox.collector.labels.dropped)
 * </pre>
 *
 * <p>Why drop rather than truncate: a truncated value would still be a label the user did not
 * write, and two values sharing a long prefix would merge into one series. A dropped label is
 * visible in the log and the counter.
 *
 * <p>Cheap when nothing changed: a sandbox whose label map is the same instance as on the last tick
 * gets the same bounded map back without looking at it again (label sources keep unchanged maps),
 * and the whole result is the same instance as long as the source's result is. Not thread-safe;
 * used by the collect thread only.
 */
public final class LabelLimits {
  private static final Logger logger = LoggerFactory.getLogger(LabelLimits.class);

  private final int maxLabels;
  private final int maxNameBytes;
  private final int maxValueBytes;
  private final CollectStats stats;

  // per sandbox: the source's map last seen (by identity) and what it was bounded to
  private Map<Integer, SandboxMetadata> lastInput = Map.of();
  private Map<Integer, SandboxMetadata> lastOutput = Map.of();
  private final Map<Integer, Map<String, String>> seen = new HashMap<>();
  private final Map<Integer, Map<String, String>> bounded = new HashMap<>();
  private final Set<String> renamesReported = new HashSet<>();

  /**
   * The limits as configured.
   *
   * @param maxLabels the most labels one sandbox keeps
   * @param maxNameBytes the longest label name kept, UTF-8 bytes
   * @param maxValueBytes the longest label value kept, UTF-8 bytes
   */
  public record Config(int maxLabels, int maxNameBytes, int maxValueBytes) {}

  /**
   * Creates the limits.
   *
   * @param config the limits
   * @param stats where dropped labels are counted
   */
  public LabelLimits(Config config, CollectStats stats) {
    this.maxLabels = config.maxLabels();
    this.maxNameBytes = config.maxNameBytes();
    this.maxValueBytes = config.maxValueBytes();
    this.stats = stats;
  }

  /**
   * The metadata of one tick, its labels bounded.
   *
   * @param metadata the metadata source's result, by sandbox id
   * @param snapshots the tick's sandboxes, for the names in the warning
   * @return {@code metadata} itself when no label is over a limit
   */
  public Map<Integer, SandboxMetadata> apply(
      Map<Integer, SandboxMetadata> metadata, List<SandboxSnapshot> snapshots) {
    if (metadata == lastInput) {
      return lastOutput;
    }
    Map<Integer, SandboxMetadata> out = metadata;
    for (Map.Entry<Integer, SandboxMetadata> e : metadata.entrySet()) {
      SandboxMetadata given = e.getValue();
      if (given == null) {
        continue;
      }
      Map<String, String> kept = boundOne(e.getKey(), given.labels(), snapshots);
      if (kept != given.labels()) {
        if (out == metadata) {
          out = new HashMap<>(metadata);
        }
        out.put(e.getKey(), new SandboxMetadata(kept, given.allocation()));
      }
    }
    // forget sandboxes that are gone, so the memo stays as large as the registry
    Set<Integer> ids = metadata.keySet();
    seen.keySet().retainAll(ids);
    bounded.keySet().retainAll(ids);
    lastInput = metadata;
    lastOutput = out == metadata ? metadata : Collections.unmodifiableMap(out);
    return lastOutput;
  }

  private Map<String, String> boundOne(
      Integer id, Map<String, String> labels, List<SandboxSnapshot> snapshots) {
    if (labels == null || labels.isEmpty()) {
      return labels;
    }
    Map<String, String> memo = bounded.get(id);
    if (memo != null && seen.get(id) == labels) {
      return memo;
    }
    Map<String, String> renamed = ReservedLabels.renameAll(labels, this::reportRename);
    TreeMap<String, String> kept = new TreeMap<>();
    int droppedCount = 0;
    StringBuilder dropped = new StringBuilder();
    for (Map.Entry<String, String> l : new TreeMap<>(renamed).entrySet()) {
      String why;
      if (utf8Length(l.getKey()) > maxNameBytes) {
        why = "name longer than " + maxNameBytes + " bytes";
      } else if (utf8Length(l.getValue()) > maxValueBytes) {
        why = "value longer than " + maxValueBytes + " bytes";
      } else if (kept.size() >= maxLabels) {
        why = "more than " + maxLabels + " labels";
      } else {
        kept.put(l.getKey(), l.getValue());
        continue;
      }
      droppedCount++;
      if (dropped.length() < 300) {
        dropped.append(dropped.length() == 0 ? "" : ", ").append(shortName(l.getKey()));
        dropped.append(" (").append(why).append(')');
      }
    }
    Map<String, String> result = labels;
    if (renamed != labels || droppedCount > 0) {
      result = Collections.unmodifiableSortedMap(kept);
    }
    if (droppedCount > 0) {
      stats.recordDroppedLabels(droppedCount);
      logger.warn(
          "labels of sandbox {} (id {}): {} label(s) dropped by the label limits: {}",
          LogSafe.escape(nameOf(id, snapshots)),
          id,
          droppedCount,
          dropped);
    }
    seen.put(id, labels);
    bounded.put(id, result);
    return result;
  }

  /** One WARN per reserved key for the collector's lifetime, not one per sandbox or tick. */
  private void reportRename(String key, String renamedTo) {
    if (renamesReported.size() < 1000 && renamesReported.add(key)) {
      logger.warn(
          "label key {} is reserved by Prometheus (le, quantile, job, instance, __*): exported as"
              + " {} by every exporter",
          shortName(key),
          shortName(renamedTo));
    }
  }

  private static String nameOf(int id, List<SandboxSnapshot> snapshots) {
    for (SandboxSnapshot s : snapshots) {
      if (s.sandboxId() == id) {
        return s.name();
      }
    }
    return "?";
  }

  /** A label name fit for the warning: escaped, and cut when it is itself huge. */
  private static String shortName(String name) {
    String n = name.length() > 64 ? name.substring(0, 64) + "..." : name;
    return '"' + LogSafe.escape(n) + '"';
  }

  /** UTF-8 length without encoding (a surrogate pair is 4 bytes, 2 per half). */
  static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
    }
    return bytes;
  }
}
