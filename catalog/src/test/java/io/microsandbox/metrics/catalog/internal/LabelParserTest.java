package io.microsandbox.metrics.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.catalog.internal.LabelParser.ParsedLabels;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabelParserTest {
  private final LabelParser parser = new LabelParser(Set.of("hidden"), Set.of("sandbox.name"));

  @Test
  void keepsTopLevelStringLabelsSortedAndImmutable() {
    ParsedLabels parsed =
        parser.parse(
            "{\"image\":\"alpine\",\"mounts\":[{\"labels\":{\"no\":\"nested\"}}],"
                + "\"labels\":{\"z\":\"26\",\"a\":\"1\",\"user.id\":\"älice \\\"q\\\"\"},"
                + "\"env\":{\"labels\":\"no\"}}");

    assertThat(parsed.labels())
        .containsExactly(
            Map.entry("a", "1"), Map.entry("user.id", "älice \"q\""), Map.entry("z", "26"));
    assertThat(parsed.problems()).isEmpty();
  }

  @Test
  void noConfigOrNoLabelsMeansNoLabelsWithoutProblems() {
    assertThat(parser.parse(null).labels()).isEmpty();
    assertThat(parser.parse("{\"image\":\"alpine\"}").problems()).isEmpty();
    assertThat(parser.parse("{\"labels\":null}").labels()).isEmpty();
    assertThat(parser.parse("{\"labels\":{}}").problems()).isEmpty();
    assertThat(parser.parse("{\"labels\":{}}").labels()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"labels\":{\"a\":\"1\"}",
        "{\"labels\":{\"a\":\"1\"}} trailing",
        "{\"labels\":{\"a\":\"1\"},}",
        "[{\"labels\":{\"a\":\"1\"}}]",
        "\"labels\"",
        "",
        "{\"labels\":{\"a\":\"1\"}, \"x\": tru}"
      })
  void rejectsEveryLabelOfADocumentThatIsNotOneValidJsonObject(String json) {
    ParsedLabels parsed = parser.parse(json);

    assertThat(parsed.labels()).isEmpty();
    assertThat(parsed.problems()).singleElement().asString().doesNotContain("\n");
  }

  @Test
  void withholdsNonStringValuesButKeepsTheOtherLabels() {
    ParsedLabels parsed =
        parser.parse(
            "{\"labels\":{\"n\":3,\"b\":true,\"o\":{\"x\":\"y\"},\"l\":[\"x\"],\"z\":null,"
                + "\"ok\":\"yes\"}}");

    assertThat(parsed.labels()).isEqualTo(Map.of("ok", "yes"));
    assertThat(parsed.problems())
        .containsExactly(
            "label \"n\" has a non-string value (a number)",
            "label \"b\" has a non-string value (a boolean)",
            "label \"o\" has a non-string value (an object)",
            "label \"l\" has a non-string value (an array)",
            "label \"z\" has a non-string value (null)");
  }

  @Test
  void reportsLabelsThatAreNotAnObject() {
    ParsedLabels parsed = parser.parse("{\"labels\":[\"a=b\"]}");

    assertThat(parsed.labels()).isEmpty();
    assertThat(parsed.problems()).containsExactly("\"labels\" is not an object but an array");
  }

  @Test
  void withholdsExcludedKeysSilentlyAndReservedOrEmptyKeysWithAProblem() {
    ParsedLabels parsed =
        parser.parse(
            "{\"labels\":{\"hidden\":\"x\",\"sandbox.name\":\"impostor\",\"\":\"e\",\"k\":\"v\"}}");

    assertThat(parsed.labels()).isEqualTo(Map.of("k", "v"));
    assertThat(parsed.problems())
        .containsExactly(
            "label \"sandbox.name\" collides with an identity attribute",
            "a label has an empty key");
  }

  @Test
  void theLastLabelsMemberWins() {
    assertThat(parser.parse("{\"labels\":{\"a\":\"1\"},\"labels\":{\"b\":\"2\"}}").labels())
        .isEqualTo(Map.of("b", "2"));
  }
}
