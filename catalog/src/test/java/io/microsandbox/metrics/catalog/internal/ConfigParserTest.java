package io.microsandbox.metrics.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.catalog.internal.ConfigParser.ParsedConfig;
import io.microsandbox.metrics.collector.Allocation;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigParserTest {
  private final ConfigParser parser =
      new ConfigParser(true, Set.of("hidden"), Set.of("sandbox.name"));

  @Test
  void keepsTopLevelStringLabelsSortedAndImmutable() {
    ParsedConfig parsed =
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
    ParsedConfig parsed = parser.parse(json);

    assertThat(parsed.labels()).isEmpty();
    assertThat(parsed.allocation()).isEqualTo(Allocation.UNKNOWN);
    assertThat(parsed.problems()).singleElement().asString().doesNotContain("\n");
  }

  @Test
  void withholdsNonStringValuesButKeepsTheOtherLabels() {
    ParsedConfig parsed =
        parser.parse(
            "{\"labels\":{\"n\":3,\"b\":true,\"o\":{\"x\":\"y\"},\"l\":[\"x\"],\"z\":null,"
                + "\"ok\":\"yes\"}}");

    assertThat(parsed.labels()).isEqualTo(Map.of("ok", "yes"));
    assertThat(parsed.problems())
        .containsExactly(
            "label \"n\" has a non-string value (a number); withheld",
            "label \"b\" has a non-string value (a boolean); withheld",
            "label \"o\" has a non-string value (an object); withheld",
            "label \"l\" has a non-string value (an array); withheld",
            "label \"z\" has a non-string value (null); withheld");
  }

  @Test
  void reportsLabelsThatAreNotAnObject() {
    ParsedConfig parsed = parser.parse("{\"labels\":[\"a=b\"]}");

    assertThat(parsed.labels()).isEmpty();
    assertThat(parsed.problems())
        .containsExactly("\"labels\" is not an object but an array; labels withheld");
  }

  @Test
  void withholdsExcludedKeysSilentlyAndReservedOrEmptyKeysWithAProblem() {
    ParsedConfig parsed =
        parser.parse(
            "{\"labels\":{\"hidden\":\"x\",\"sandbox.name\":\"impostor\",\"\":\"e\",\"k\":\"v\"}}");

    assertThat(parsed.labels()).isEqualTo(Map.of("k", "v"));
    assertThat(parsed.problems())
        .containsExactly(
            "label \"sandbox.name\" collides with an identity attribute; withheld",
            "a label has an empty key; withheld");
  }

  @Test
  void theLastLabelsMemberWins() {
    assertThat(parser.parse("{\"labels\":{\"a\":\"1\"},\"labels\":{\"b\":\"2\"}}").labels())
        .isEqualTo(Map.of("b", "2"));
  }

  // --- allocation: microsandbox's config shape, resources and runtime nested next to labels ---

  private static String config(String resources, String runtime) {
    return "{\"name\":\"web\",\"image\":{\"Oci\":{\"reference\":\"alpine\"}},"
        + (resources == null ? "" : "\"resources\":" + resources + ",")
        + (runtime == null ? "" : "\"runtime\":" + runtime + ",")
        + "\"labels\":{\"team\":\"infra\"},\"mounts\":[]}";
  }

  @Test
  void readsTheAllocationNextToTheLabels() {
    ParsedConfig parsed =
        parser.parse(
            config(
                "{\"cpus\":2,\"memory_mib\":1024,\"max_cpus\":4,\"max_memory_mib\":4096,"
                    + "\"cpu_placement\":\"auto\",\"placement_profile\":null}",
                "{\"workdir\":\"/app\",\"scripts\":{\"cpus\":\"9\"},"
                    + "\"metrics_sample_interval_ms\":250,\"disable_metrics_sample\":false}"));

    assertThat(parsed.allocation()).isEqualTo(new Allocation(2, 1024, 4, 4096, 250, false));
    assertThat(parsed.labels()).isEqualTo(Map.of("team", "infra"));
    assertThat(parsed.problems()).isEmpty();
  }

  @Test
  void missingResourcesAreUnknownAndAMissingIntervalIsMicrosandboxsDefault() {
    ParsedConfig parsed = parser.parse(config(null, null));

    assertThat(parsed.allocation())
        .isEqualTo(new Allocation(0, 0, 0, 0, ConfigParser.DEFAULT_SAMPLE_INTERVAL_MS, false));
    assertThat(parsed.labels()).isEqualTo(Map.of("team", "infra"));
    assertThat(parsed.problems()).isEmpty();
  }

  @Test
  void zeroOrNullIsUnknownForThatFieldOnlyAndSilently() {
    ParsedConfig parsed =
        parser.parse(
            config("{\"cpus\":2,\"memory_mib\":0,\"max_cpus\":null,\"max_memory_mib\":512}", null));

    assertThat(parsed.allocation()).isEqualTo(new Allocation(2, 0, 0, 512, 1000, false));
    assertThat(parsed.problems()).isEmpty();
  }

  @Test
  void aValueOfTheWrongTypeIsUnknownForThatFieldOnlyAndReported() {
    ParsedConfig parsed =
        parser.parse(
            config(
                "{\"cpus\":\"2\",\"memory_mib\":1.5,\"max_cpus\":-1,"
                    + "\"max_memory_mib\":99999999999999999999}",
                "{\"metrics_sample_interval_ms\":\"1s\",\"disable_metrics_sample\":\"no\"}"));

    assertThat(parsed.allocation()).isEqualTo(Allocation.UNKNOWN);
    assertThat(parsed.labels()).as("labels unaffected").isEqualTo(Map.of("team", "infra"));
    assertThat(parsed.problems())
        .containsExactly(
            "resources.cpus is a string, not a whole number; treated as unknown",
            "resources.memory_mib is a number, not a whole number; treated as unknown",
            "resources.max_cpus is -1, out of range; treated as unknown",
            "resources.max_memory_mib is 99999999999999999999, out of range; treated as unknown",
            "runtime.metrics_sample_interval_ms is a string, not a whole number; treated as"
                + " unknown",
            "runtime.disable_metrics_sample is a string, not a boolean; treated as unknown");
  }

  @Test
  void anAllocationBeyondTheLargestMachinesIsUnknownAndReported() {
    ParsedConfig parsed =
        parser.parse(
            config(
                "{\"cpus\":2147483647,\"memory_mib\":9223372036854775807,\"max_cpus\":4097,"
                    + "\"max_memory_mib\":67108865}",
                null));

    assertThat(parsed.allocation()).isEqualTo(new Allocation(0, 0, 0, 0, 1000, false));
    assertThat(parsed.problems())
        .containsExactly(
            "resources.cpus is 2147483647, more than the largest machines offer (at most 4096"
                + " vCPUs); treated as unknown",
            "resources.memory_mib is 9223372036854775807, more than the largest machines offer"
                + " (at most 67108864 MiB); treated as unknown",
            "resources.max_cpus is 4097, more than the largest machines offer (at most 4096"
                + " vCPUs); treated as unknown",
            "resources.max_memory_mib is 67108865, more than the largest machines offer (at most"
                + " 67108864 MiB); treated as unknown");

    ParsedConfig largest =
        parser.parse(
            config(
                "{\"cpus\":4096,\"memory_mib\":67108864,\"max_cpus\":4096,"
                    + "\"max_memory_mib\":67108864}",
                null));
    assertThat(largest.allocation())
        .isEqualTo(new Allocation(4096, 67108864, 4096, 67108864, 1000, false));
    assertThat(largest.problems()).isEmpty();
  }

  @Test
  void resourcesThatAreNotAnObjectAreUnknownAndReported() {
    ParsedConfig parsed = parser.parse(config("[2,1024]", null));

    assertThat(parsed.allocation().cpus()).isZero();
    assertThat(parsed.allocation().memoryMib()).isZero();
    assertThat(parsed.problems())
        .containsExactly("\"resources\" is not an object but an array; unknown");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"metrics_sample_interval_ms\":null}",
        "{\"metrics_sample_interval_ms\":0}",
        "{\"metrics_sample_interval_ms\":500,\"disable_metrics_sample\":true}",
        "{\"disable_metrics_sample\":true}"
      })
  void samplingIsOffForANullOrZeroIntervalOrWhenDisabled(String runtime) {
    Allocation a = parser.parse(config(null, runtime)).allocation();

    assertThat(a.samplingOff()).isTrue();
    assertThat(a.sampleIntervalMs()).isZero();
    assertThat(a.samplingKnown()).isTrue();
  }

  @Test
  void aRuntimeThatIsNotAnObjectLeavesSamplingUnknown() {
    Allocation a = parser.parse(config(null, "\"fast\"")).allocation();

    assertThat(a.samplingKnown()).isFalse();
  }

  @Test
  void withLabelsOffTheAllocationIsStillRead() {
    ConfigParser noLabels = new ConfigParser(false, Set.of(), Set.of());

    ParsedConfig parsed =
        noLabels.parse(
            config("{\"cpus\":2,\"memory_mib\":1024}", null)
                .replace("\"team\"", "\"sandbox.name\""));

    assertThat(parsed.labels()).isEmpty();
    assertThat(parsed.allocation().cpus()).isEqualTo(2);
    assertThat(parsed.problems()).as("labels not read, nothing to report").isEmpty();
  }
}
