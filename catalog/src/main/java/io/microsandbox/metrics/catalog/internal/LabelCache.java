package io.microsandbox.metrics.catalog.internal;

import io.microsandbox.metrics.catalog.internal.LabelParser.ParsedLabels;
import io.microsandbox.metrics.collector.LogSafe;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * The labels of the sandboxes currently in the registry, by catalog sandbox id, each remembered
 * with the config text it was parsed from.
 *
 * <p>A config is parsed only when its text differs from the remembered one, so an unchanged sandbox
 * keeps the very same label map instance from tick to tick (the collector's buffers share it by
 * reference) and a bad config is reported once per distinct text, not once per tick. An id whose
 * row is missing or whose config is NULL is remembered too, with no labels, so that it does not
 * trigger a catalog query on every tick. Not thread-safe.
 */
public final class LabelCache {
  private final LabelParser parser;
  private final Logger log;
  private final Map<Integer, Entry> entries = new HashMap<>();
  private Map<Integer, Map<String, String>> labels = Map.of();
  private boolean labelsStale;

  /**
   * Creates an empty cache.
   *
   * @param parser turns config text into labels
   * @param log where problems with a sandbox's labels are reported (WARN, once per config text)
   */
  public LabelCache(LabelParser parser, Logger log) {
    this.parser = Objects.requireNonNull(parser, "parser");
    this.log = Objects.requireNonNull(log, "log");
  }

  /** Forgets every sandbox not in {@code sandboxIds} (it left the registry). */
  public void retainOnly(Collection<Integer> sandboxIds) {
    if (entries.keySet().retainAll(sandboxIds)) {
      labelsStale = true;
    }
  }

  /** The ids in {@code sandboxIds} the cache knows nothing about yet, in the given order. */
  public List<Integer> unknown(Collection<Integer> sandboxIds) {
    List<Integer> unknown = new ArrayList<>(0);
    for (Integer id : sandboxIds) {
      if (!entries.containsKey(id)) {
        unknown.add(id);
      }
    }
    return unknown;
  }

  /**
   * Records what the catalog says about one sandbox now.
   *
   * @param sandboxId the catalog sandbox id
   * @param sandboxName the sandbox's name, for messages only
   * @param configJson the config text, {@code null} when there is no row or no config
   */
  public void update(int sandboxId, String sandboxName, String configJson) {
    Entry previous = entries.get(sandboxId);
    if (previous != null && Objects.equals(previous.configJson, configJson)) {
      return;
    }
    ParsedLabels parsed = parser.parse(configJson);
    for (String problem : parsed.problems()) {
      log.warn(
          "catalog labels of sandbox {} (id {}): {}; withheld",
          LogSafe.escape(sandboxName),
          sandboxId,
          LogSafe.escape(problem));
    }
    Map<String, String> sandboxLabels = parsed.labels();
    if (previous != null && previous.labels.equals(sandboxLabels)) {
      // the config changed elsewhere (image, resources): keep sharing the old map instance
      sandboxLabels = previous.labels;
    } else {
      labelsStale = true;
    }
    entries.put(sandboxId, new Entry(configJson, sandboxLabels));
  }

  /**
   * The labels of every sandbox in the cache that has any.
   *
   * @return an immutable map, the same instance for as long as no sandbox's labels changed and no
   *     sandbox came or went (so a collection can keep it without copying)
   */
  public Map<Integer, Map<String, String>> labels() {
    if (labelsStale) {
      Map<Integer, Map<String, String>> fresh = new HashMap<>(entries.size() * 2);
      entries.forEach(
          (id, entry) -> {
            if (!entry.labels.isEmpty()) {
              fresh.put(id, entry.labels);
            }
          });
      labels = Map.copyOf(fresh);
      labelsStale = false;
    }
    return labels;
  }

  /** How many sandboxes the cache holds. */
  public int size() {
    return entries.size();
  }

  private static final class Entry {
    final String configJson;
    final Map<String, String> labels;

    Entry(String configJson, Map<String, String> labels) {
      this.configJson = configJson;
      this.labels = labels;
    }
  }
}
