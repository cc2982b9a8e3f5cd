package io.microsandbox.metrics.catalog.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Extracts a sandbox's labels from the config JSON stored in the catalog: the top-level {@code
 * labels} object, string to string.
 *
 * <p>Streams the document instead of building a tree because a sandbox config is mostly things
 * other than labels (image, mounts, environment) and only {@code labels} is kept. The whole
 * document is still read to its end, so a syntax error anywhere rejects the row: a config that is
 * not valid JSON is not trusted for any of its labels.
 *
 * <p>What is withheld, and reported as a problem: every label of a malformed document, a label
 * whose value is not a string, an empty key, and a key reserved for identity attributes. Excluded
 * keys are withheld silently (the operator asked for it). Thread-safe and stateless apart from
 * its configuration.
 */
public final class LabelParser {
  private static final JsonFactory JSON = JsonFactory.builder().build();

  private final Set<String> excludedKeys;
  private final Set<String> reservedKeys;

  /**
   * Creates a parser.
   *
   * @param excludedKeys label keys dropped without notice (operator's exclusions)
   * @param reservedKeys label keys dropped with a problem because they would collide with the
   *     identity attributes of a data point
   */
  public LabelParser(Set<String> excludedKeys, Set<String> reservedKeys) {
    this.excludedKeys = Set.copyOf(excludedKeys);
    this.reservedKeys = Set.copyOf(reservedKeys);
  }

  /**
   * Parses one config document.
   *
   * @param configJson the JSON text of the sandbox's config; {@code null} means "no config"
   * @return the labels (immutable, keys sorted) and what was withheld and why
   */
  public ParsedLabels parse(String configJson) {
    if (configJson == null) {
      return ParsedLabels.NONE;
    }
    List<String> problems = new ArrayList<>(0);
    TreeMap<String, String> labels = new TreeMap<>();
    try (JsonParser p = JSON.createParser(configJson)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return ParsedLabels.rejected("config is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("labels".equals(field)) {
          // a repeated "labels" member: the last one wins, as in most JSON readers
          labels.clear();
          readLabels(p, value, labels, problems);
        } else {
          p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        return ParsedLabels.rejected("malformed JSON: trailing content after the config object");
      }
    } catch (JsonProcessingException e) {
      return ParsedLabels.rejected(malformed(e));
    } catch (IOException e) {
      // reading from a String cannot fail with I/O; keep the row without labels all the same
      return ParsedLabels.rejected("unreadable config: " + e.getMessage());
    }
    Map<String, String> result =
        labels.isEmpty() ? Map.of() : Collections.unmodifiableSortedMap(labels);
    return new ParsedLabels(result, problems);
  }

  private void readLabels(
      JsonParser p, JsonToken value, Map<String, String> labels, List<String> problems)
      throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return;
    }
    if (value != JsonToken.START_OBJECT) {
      problems.add("\"labels\" is not an object but " + describe(value));
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
        problems.add("label \"" + key + "\" has a non-string value (" + describe(labelValue) + ")");
        p.skipChildren();
      } else if (key.isEmpty()) {
        problems.add("a label has an empty key");
      } else if (reservedKeys.contains(key)) {
        problems.add("label \"" + key + "\" collides with an identity attribute");
      } else {
        labels.put(key, p.getText());
      }
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
    return "malformed JSON (" + message + (column > 0 ? " at column " + column : "") + ")";
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

  /** The labels of one config document and the problems found while extracting them. */
  public static final class ParsedLabels {
    static final ParsedLabels NONE = new ParsedLabels(Map.of(), List.of());

    private final Map<String, String> labels;
    private final List<String> problems;

    ParsedLabels(Map<String, String> labels, List<String> problems) {
      this.labels = labels;
      this.problems = List.copyOf(problems);
    }

    static ParsedLabels rejected(String problem) {
      return new ParsedLabels(Map.of(), List.of(problem));
    }

    /** The labels kept: immutable, keys sorted, empty when none. */
    public Map<String, String> labels() {
      return labels;
    }

    /** One line per withheld label or rejected document; empty when everything was kept. */
    public List<String> problems() {
      return problems;
    }
  }
}
