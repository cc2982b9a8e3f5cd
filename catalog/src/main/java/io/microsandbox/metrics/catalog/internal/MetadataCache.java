package io.microsandbox.metrics.catalog.internal;

import io.microsandbox.metrics.catalog.internal.ConfigParser.ParsedConfig;
import io.microsandbox.metrics.collector.LogSafe;
import io.microsandbox.metrics.collector.SandboxMetadata;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The metadata (labels, allocation) of the sandboxes currently in the registry, by catalog sandbox
 * id, each remembered with the config text it was parsed from.
 *
 * <p>A config is parsed only when its text differs from the remembered one, so an unchanged sandbox
 * keeps the very same {@link SandboxMetadata} instance from tick to tick (the collector's buffers
 * share it by reference); a config that changed elsewhere (image, environment) keeps it too. A bad
 * config is reported once per distinct text, not once per tick. An id whose row is missing or whose
 * config is NULL is remembered too, with nothing known, so that it does not trigger a catalog query
 * on every tick. Not thread-safe.
 */
public final class MetadataCache {
  private final ConfigParser parser;
  private final Logger log;
  private final Map<Integer, Entry> entries = new HashMap<>();
  private Map<Integer, SandboxMetadata> metadata = Map.of();
  private boolean metadataStale;

  /**
   * Creates an empty cache.
   *
   * @param parser turns config text into labels and allocation
   * @param log where problems with a sandbox's config are reported (WARN, once per config text)
   */
  public MetadataCache(ConfigParser parser, Logger log) {
    this.parser = Objects.requireNonNull(parser, "parser");
    this.log = Objects.requireNonNull(log, "log");
  }

  /** Forgets every sandbox not in {@code sandboxIds} (it left the registry). */
  public void retainOnly(Collection<Integer> sandboxIds) {
    if (entries.keySet().retainAll(sandboxIds)) {
      metadataStale = true;
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
  public void update(int sandboxId, String sandboxName, @Nullable String configJson) {
    Entry previous = entries.get(sandboxId);
    if (previous != null
        && previous.oversizeBytes == 0
        && Objects.equals(previous.configJson, configJson)) {
      return;
    }
    ParsedConfig parsed = parser.parse(configJson);
    for (String problem : parsed.problems()) {
      log.warn(
          "catalog config of sandbox {} (id {}): {}",
          LogSafe.escape(sandboxName),
          sandboxId,
          LogSafe.escape(problem));
    }
    SandboxMetadata sandboxMetadata;
    if (previous == null) {
      sandboxMetadata = parsed.metadata();
      metadataStale = true;
    } else if (previous.metadata.labels().equals(parsed.labels())) {
      if (previous.metadata.allocation().equals(parsed.allocation())) {
        // the config changed elsewhere (image, environment): keep sharing the old instance
        sandboxMetadata = previous.metadata;
      } else {
        // resized: keep sharing the old label map
        sandboxMetadata = new SandboxMetadata(previous.metadata.labels(), parsed.allocation());
        metadataStale = true;
      }
    } else {
      sandboxMetadata = parsed.metadata();
      metadataStale = true;
    }
    entries.put(sandboxId, new Entry(configJson, sandboxMetadata, 0));
  }

  /**
   * Records that one sandbox's config is over the row limit: the sandbox gets no labels and an
   * unknown allocation, with one WARN per size seen (not one per tick).
   *
   * @param sandboxId the catalog sandbox id
   * @param sandboxName the sandbox's name, for messages only
   * @param bytes the config's size
   * @param maxRowBytes the limit it is over
   */
  public void skipOversized(int sandboxId, String sandboxName, long bytes, long maxRowBytes) {
    Entry previous = entries.get(sandboxId);
    if (previous != null && previous.oversizeBytes == bytes) {
      return;
    }
    log.warn(
        "catalog config of sandbox {} (id {}) skipped: {} bytes, over the row limit of {} bytes"
            + " (--catalog-max-row-bytes); no labels and an unknown allocation for it",
        LogSafe.escape(sandboxName),
        sandboxId,
        bytes,
        maxRowBytes);
    if (previous == null || !previous.metadata.isEmpty()) {
      metadataStale = true;
    }
    entries.put(sandboxId, new Entry(null, SandboxMetadata.NONE, bytes));
  }

  /**
   * The metadata of every sandbox in the cache the catalog says anything about.
   *
   * @return an immutable map, the same instance for as long as no sandbox's metadata changed and no
   *     sandbox came or went (so a collection can keep it without copying)
   */
  public Map<Integer, SandboxMetadata> metadata() {
    if (metadataStale) {
      Map<Integer, SandboxMetadata> fresh = new HashMap<>(entries.size() * 2);
      entries.forEach(
          (id, entry) -> {
            if (!entry.metadata.isEmpty()) {
              fresh.put(id, entry.metadata);
            }
          });
      metadata = Map.copyOf(fresh);
      metadataStale = false;
    }
    return metadata;
  }

  /** How many sandboxes the cache holds. */
  public int size() {
    return entries.size();
  }

  private static final class Entry {
    final @Nullable String configJson;
    final SandboxMetadata metadata;
    final long oversizeBytes; // > 0: the config was over the row limit and never read

    Entry(@Nullable String configJson, SandboxMetadata metadata, long oversizeBytes) {
      this.configJson = configJson;
      this.metadata = metadata;
      this.oversizeBytes = oversizeBytes;
    }
  }
}
