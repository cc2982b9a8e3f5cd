package io.microsandbox.metrics.catalog.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.SandboxMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Extracts what the collector needs from the config JSON stored in the catalog: the top-level
 * {@code labels} object (string to string) and the allocation.
 *
 * <pre>
 * {"labels": {"team": "infra"},
 *  "resources": {"cpus": 2, "memory_mib": 1024, "max_cpus": 4, "max_memory_mib": 2048, ...},
 *  "runtime": {"metrics_sample_interval_ms": 1000, "disable_metrics_sample": false, ...},
 *  ...image, env, mounts...}
 * </pre>
 *
 * <p>Streams the document instead of building a tree because a sandbox config is mostly things
 * other than these (image, mounts, environment). The whole document is still read to its end, so a
 * syntax error anywhere rejects the row: a config that is not valid JSON is not trusted for any of
 * its labels or numbers.
 *
 * <p>Labels: withheld, and reported as a problem, are every label of a malformed document, a label
 * whose value is not a string, an empty key, and a key reserved for identity attributes. Excluded
 * keys are withheld silently (the operator asked for it).
 *
 * <p>Allocation: each number is known or unknown on its own. Missing, zero or null is unknown
 * silently; a value that is not a positive whole number in range (a string, a fraction, a negative
 * number) is unknown and reported, and so is a vCPU count or memory size beyond {@link
 * #MAX_PLAUSIBLE_CPUS} or {@link #MAX_PLAUSIBLE_MEMORY_MIB}. Sampling follows microsandbox's own
 * reading of {@code runtime}: a missing {@code metrics_sample_interval_ms} is microsandbox's
 * default ({@link #DEFAULT_SAMPLE_INTERVAL_MS}), {@code null} or {@code 0} turns sampling off, and
 * so does {@code disable_metrics_sample: true}.
 *
 * <p>Thread-safe and stateless apart from its configuration.
 */
public final class ConfigParser {
  /**
   * The most vCPUs a sandbox can plausibly have: the largest single machines offer about 1,900
   * hardware threads (32-socket servers), so 4,096 leaves headroom. A larger {@code cpus} or {@code
   * max_cpus} counts as unknown.
   */
  public static final int MAX_PLAUSIBLE_CPUS = 4096;

  /**
   * The most guest memory a sandbox can plausibly have, in MiB: 64 TiB, above the 32-48 TiB of the
   * largest single machines. A larger {@code memory_mib} or {@code max_memory_mib} counts as
   * unknown.
   */
  public static final long MAX_PLAUSIBLE_MEMORY_MIB = 64L * 1024 * 1024;

  /** microsandbox's sampling period when a config does not name one, in ms. */
  public static final long DEFAULT_SAMPLE_INTERVAL_MS = 1000;

  private static final JsonFactory JSON = JsonFactory.builder().build();

  private final boolean readLabels;
  private final Set<String> excludedKeys;
  private final Set<String> reservedKeys;

  /**
   * Creates a parser.
   *
   * @param readLabels false to skip labels altogether (every sandbox gets none, nothing reported)
   * @param excludedKeys label keys dropped without notice (operator's exclusions)
   * @param reservedKeys label keys dropped with a problem because they would collide with the
   *     identity attributes of a data point
   */
  public ConfigParser(boolean readLabels, Set<String> excludedKeys, Set<String> reservedKeys) {
    this.readLabels = readLabels;
    this.excludedKeys = Set.copyOf(excludedKeys);
    this.reservedKeys = Set.copyOf(reservedKeys);
  }

  /**
   * Parses one config document.
   *
   * @param configJson the JSON text of the sandbox's config; {@code null} means "no config"
   * @return the labels (immutable, keys sorted), the allocation, and what was withheld and why
   */
  public ParsedConfig parse(@Nullable String configJson) {
    if (configJson == null) {
      return ParsedConfig.NONE;
    }
    List<String> problems = new ArrayList<>(0);
    TreeMap<String, String> labels = new TreeMap<>();
    AllocationReader allocation = new AllocationReader(problems);
    try (JsonParser p = JSON.createParser(configJson)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return ParsedConfig.rejected("config is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        // a repeated member: the last one wins, as in most JSON readers
        if ("labels".equals(field) && readLabels) {
          labels.clear();
          readLabels(p, value, labels, problems);
        } else if ("resources".equals(field)) {
          allocation.readResources(p, value);
        } else if ("runtime".equals(field)) {
          allocation.readRuntime(p, value);
        } else {
          p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        return ParsedConfig.rejected("malformed JSON: trailing content after the config object");
      }
    } catch (JsonProcessingException e) {
      return ParsedConfig.rejected(malformed(e));
    } catch (IOException e) {
      // reading from a String cannot fail with I/O; keep the row without metadata all the same
      return ParsedConfig.rejected("unreadable config: " + e.getMessage());
    }
    Map<String, String> result =
        labels.isEmpty() ? Map.of() : Collections.unmodifiableSortedMap(labels);
    return new ParsedConfig(result, allocation.build(), problems);
  }

  private void readLabels(
      JsonParser p, JsonToken value, Map<String, String> labels, List<String> problems)
      throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return;
    }
    if (value != JsonToken.START_OBJECT) {
      problems.add("\"labels\" is not an object but " + describe(value) + "; labels withheld");
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken labelValue = p.nextToken();
      if (excludedKeys.contains(key)) {
        // withheld on the operator's request, whatever its value: nothing to report
        p.skipChildren();
      } else if (labelValue != JsonToken.VALUE_STRING) {
        problems.add(
            "label \""
                + key
                + "\" has a non-string value ("
                + describe(labelValue)
                + "); withheld");
        p.skipChildren();
      } else if (key.isEmpty()) {
        problems.add("a label has an empty key; withheld");
      } else if (reservedKeys.contains(key)) {
        problems.add("label \"" + key + "\" collides with an identity attribute; withheld");
      } else {
        labels.put(key, p.getText());
      }
    }
  }

  /** Collects the allocation's numbers while the document streams past. */
  private static final class AllocationReader {
    private final List<String> problems;
    private long cpus;
    private long memoryMib;
    private long maxCpus;
    private long maxMemoryMib;
    // microsandbox's runtime section defaults as a whole: no section, no key = the default period
    private long sampleIntervalMs = DEFAULT_SAMPLE_INTERVAL_MS;
    private boolean intervalOff;
    private boolean disabled;

    AllocationReader(List<String> problems) {
      this.problems = problems;
    }

    void readResources(JsonParser p, JsonToken value) throws IOException {
      cpus = 0;
      memoryMib = 0;
      maxCpus = 0;
      maxMemoryMib = 0;
      if (!isObject(p, value, "resources")) {
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken v = p.nextToken();
        switch (key) {
          case "cpus":
            cpus = plausible(p, v, "resources.cpus", MAX_PLAUSIBLE_CPUS, "vCPUs");
            break;
          case "memory_mib":
            memoryMib = plausible(p, v, "resources.memory_mib", MAX_PLAUSIBLE_MEMORY_MIB, "MiB");
            break;
          case "max_cpus":
            maxCpus = plausible(p, v, "resources.max_cpus", MAX_PLAUSIBLE_CPUS, "vCPUs");
            break;
          case "max_memory_mib":
            maxMemoryMib =
                plausible(p, v, "resources.max_memory_mib", MAX_PLAUSIBLE_MEMORY_MIB, "MiB");
            break;
          default:
            p.skipChildren();
        }
      }
    }

    void readRuntime(JsonParser p, JsonToken value) throws IOException {
      sampleIntervalMs = DEFAULT_SAMPLE_INTERVAL_MS;
      intervalOff = false;
      disabled = false;
      if (!isObject(p, value, "runtime")) {
        // a runtime section that cannot be read says nothing about sampling
        sampleIntervalMs = value == JsonToken.VALUE_NULL ? DEFAULT_SAMPLE_INTERVAL_MS : 0;
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken v = p.nextToken();
        if ("metrics_sample_interval_ms".equals(key)) {
          boolean off = v == JsonToken.VALUE_NULL || isIntegerZero(p, v);
          intervalOff = off;
          sampleIntervalMs =
              off ? 0 : positive(p, v, "runtime.metrics_sample_interval_ms", Long.MAX_VALUE);
        } else if ("disable_metrics_sample".equals(key)) {
          if (v == JsonToken.VALUE_TRUE || v == JsonToken.VALUE_FALSE) {
            disabled = v == JsonToken.VALUE_TRUE;
          } else {
            disabled = false;
            if (v != JsonToken.VALUE_NULL) {
              problems.add(
                  "runtime.disable_metrics_sample is "
                      + describe(v)
                      + ", not a boolean; treated as unknown");
            }
            p.skipChildren();
          }
        } else {
          p.skipChildren();
        }
      }
    }

    private boolean isObject(JsonParser p, JsonToken value, String what) throws IOException {
      if (value == JsonToken.START_OBJECT) {
        return true;
      }
      if (value != JsonToken.VALUE_NULL) {
        problems.add("\"" + what + "\" is not an object but " + describe(value) + "; unknown");
      }
      p.skipChildren();
      return false;
    }

    private static boolean isIntegerZero(JsonParser p, JsonToken v) throws IOException {
      return v == JsonToken.VALUE_NUMBER_INT
          && p.getNumberType() == JsonParser.NumberType.INT
          && p.getIntValue() == 0;
    }

    /**
     * A positive whole number no larger than the largest machines offer ({@code max}), else 0
     * (unknown), reporting a wrong or implausible value: a limit of 8 EiB or 2^31 vCPUs is a broken
     * or hostile row, and exported as it is it would flatten every dashboard that divides by it.
     */
    private long plausible(JsonParser p, JsonToken v, String what, long max, String unit)
        throws IOException {
      long n = positive(p, v, what, Long.MAX_VALUE);
      if (n > max) {
        problems.add(
            what
                + " is "
                + n
                + ", more than the largest machines offer (at most "
                + max
                + " "
                + unit
                + "); treated as unknown");
        return 0;
      }
      return n;
    }

    /** A positive whole number up to {@code max}, else 0 (unknown), reporting a wrong value. */
    private long positive(JsonParser p, JsonToken v, String what, long max) throws IOException {
      if (v == JsonToken.VALUE_NULL) {
        return 0;
      }
      if (v != JsonToken.VALUE_NUMBER_INT) {
        problems.add(what + " is " + describe(v) + ", not a whole number; treated as unknown");
        p.skipChildren();
        return 0;
      }
      JsonParser.NumberType type = p.getNumberType();
      long n = type == JsonParser.NumberType.BIG_INTEGER ? -1 : p.getLongValue();
      if (n == 0) {
        return 0; // zero is "not set", never "nothing allocated"
      }
      if (n < 0 || n > max) {
        problems.add(what + " is " + p.getText() + ", out of range; treated as unknown");
        return 0;
      }
      return n;
    }

    Allocation build() {
      boolean off = intervalOff || disabled;
      return new Allocation(
          (int) cpus, memoryMib, (int) maxCpus, maxMemoryMib, off ? 0 : sampleIntervalMs, off);
    }
  }

  /** Jackson's message without the source excerpt it appends, plus where the error is. */
  private static String malformed(JsonProcessingException e) {
    String message = String.valueOf(e.getOriginalMessage());
    int detail = message.indexOf(" (start marker");
    if (detail < 0) {
      detail = message.indexOf('\n');
    }
    if (detail >= 0) {
      message = message.substring(0, detail);
    }
    long column = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
    return "malformed JSON ("
        + message
        + (column > 0 ? " at column " + column : "")
        + "); labels and allocation withheld";
  }

  private static String describe(JsonToken token) {
    switch (token) {
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "an array";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      case VALUE_STRING:
        return "a string";
      default:
        return token.name();
    }
  }

  /**
   * The labels and allocation of one config document and the problems found while extracting them.
   *
   * @param labels the labels kept: immutable, keys sorted, empty when none
   * @param allocation the allocation, {@link Allocation#UNKNOWN} for a rejected document
   * @param problems one line per withheld label, unknown value or rejected document; empty when
   *     everything was kept
   */
  public record ParsedConfig(
      Map<String, String> labels, Allocation allocation, List<String> problems) {
    static final ParsedConfig NONE = new ParsedConfig(Map.of(), Allocation.UNKNOWN, List.of());

    /** Copies the problems. */
    public ParsedConfig {
      problems = List.copyOf(problems);
    }

    static ParsedConfig rejected(String problem) {
      return new ParsedConfig(Map.of(), Allocation.UNKNOWN, List.of(problem));
    }

    /** The labels and allocation as one value. */
    public SandboxMetadata metadata() {
      return new SandboxMetadata(labels, allocation);
    }
  }
}
