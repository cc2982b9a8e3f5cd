package io.microsandbox.metrics.samples.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Grafana dashboard references only series and labels this project emits, and is sound. */
class DashboardTest {
  private static final Pattern LABEL_VALUES =
      Pattern.compile("label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)");

  private static JsonNode dashboard;

  /** Every PromQL expression of the dashboard, keyed by "panel title / refId" for messages. */
  private static Map<String, String> expressions;

  /** The labels whose values the dashboard's variables list. */
  private static Set<String> variableLabels;

  @BeforeAll
  static void load() throws Exception {
    Path file = SampleConfigs.dir().resolve("grafana/msb-metrics-dashboard.json");
    dashboard = new ObjectMapper().readTree(file.toFile());
    expressions = new LinkedHashMap<>();
    variableLabels = new LinkedHashSet<>();
    for (JsonNode panel : panels()) {
      for (JsonNode target : panel.path("targets")) {
        expressions.put(
            panel.path("title").asText() + " / " + target.path("refId").asText(),
            target.path("expr").asText());
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        Matcher m = LABEL_VALUES.matcher(variable.path("definition").asText());
        assertThat(m.matches()).as("variable %s", variable.path("name")).isTrue();
        expressions.put("variable " + variable.path("name").asText(), m.group(1));
        variableLabels.add(m.group(2));
      }
    }
  }

  private static List<JsonNode> panels() {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode p : dashboard.path("panels")) {
      if (!p.path("type").asText().equals("row")) {
        out.add(p);
      }
    }
    return out;
  }

  @Test
  void everyExpressionUsesOnlyEmittedSeriesAndLabels() {
    Set<String> emitted = EmittedSeries.prometheusNames();
    Set<String> labels = EmittedSeries.labelNames();
    assertThat(expressions).hasSizeGreaterThan(15);
    expressions.forEach(
        (where, expr) -> {
          PromQl.References refs = PromQl.references(expr);
          assertThat(refs.series()).as("series in %s: %s", where, expr).isSubsetOf(emitted);
          assertThat(refs.labels()).as("labels in %s: %s", where, expr).isSubsetOf(labels);
        });
    assertThat(variableLabels)
        .containsExactlyInAnyOrder("instance", "sandbox_name")
        .isSubsetOf(labels);
  }

  @Test
  void coversWhatTheIssueAsksFor() {
    Set<String> used = new HashSet<>();
    expressions.values().forEach(e -> used.addAll(PromQl.references(e).series()));
    // every series of the tables of docs/metrics.md except three the dashboard leaves to ad-hoc
    // queries
    Set<String> required = new HashSet<>(EmittedSeriesTest.SPEC_SERIES);
    required.removeAll(
        Set.of(
            "microsandbox_cpu_time_seconds_total",
            "microsandbox_memory_available_bytes",
            "microsandbox_memory_host_resident_bytes"));
    assertThat(used).containsAll(required);
    // cumulative byte counters are only meaningful as throughput
    expressions.values().stream()
        .filter(e -> e.contains("_disk_bytes_") || e.contains("_network_bytes_"))
        .forEach(e -> assertThat(e).startsWith("rate("));
  }

  /** The allocation comes from the exported series, not from a variable the user has to set. */
  @Test
  void cpuIsShownAgainstTheExportedAllocation() {
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      assertThat(variable.path("name").asText()).as("no vCPU variable").isNotEqualTo("vcpus");
    }
    assertThat(expressions.values()).noneSatisfy(e -> assertThat(e).contains("$vcpus"));
    assertThat(expressions)
        .hasEntrySatisfying(
            "CPU per sandbox against allocation / B",
            e ->
                assertThat(PromQl.references(e).series()).containsExactly("microsandbox_cpu_limit"))
        .hasEntrySatisfying(
            "CPU % of allocation / A",
            e ->
                assertThat(PromQl.references(e).series())
                    .containsExactlyInAnyOrder(
                        "microsandbox_cpu_utilization_ratio", "microsandbox_cpu_limit"));
  }

  @Test
  void panelsAreWellFormed() {
    Set<Integer> ids = new HashSet<>();
    for (JsonNode p : dashboard.path("panels")) {
      assertThat(ids.add(p.path("id").asInt())).as("unique id %s", p.path("id")).isTrue();
      JsonNode grid = p.path("gridPos");
      assertThat(grid.path("x").asInt() + grid.path("w").asInt())
          .as("panel %s fits the 24-column grid", p.path("title"))
          .isBetween(1, 24);
    }
    for (JsonNode p : panels()) {
      assertThat(p.path("targets").size()).as("targets of %s", p.path("title")).isPositive();
      assertThat(p.path("description").asText())
          .as("description of %s", p.path("title"))
          .isNotBlank();
      assertThat(p.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
    }
    assertThat(dashboard.path("uid").asText()).isEqualTo("msb-metrics");
  }

  /** promtool (Prometheus's own parser) accepts every expression, variables substituted. */
  @Test
  void promtoolParsesEveryExpression(@TempDir Path tmp) throws Exception {
    Optional<ExternalTool> promtool = ExternalTool.find("promtool");
    assumeTrue(promtool.isPresent(), "promtool not installed (apt-get install prometheus)");
    Set<String> distinct = new LinkedHashSet<>(expressions.values());
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    int i = 0;
    for (String expr : distinct) {
      String concrete =
          expr.replace("$__rate_interval", "1m")
              .replace("$instance", ".*")
              .replace("$sandbox", ".*");
      rules.append("      - record: dashboard:expr").append(i++).append('\n');
      rules.append("        expr: '").append(concrete.replace("'", "''")).append("'\n");
    }
    Path file = tmp.resolve("dashboard.rules.yml");
    Files.writeString(file, rules);
    ExternalTool.Result r = promtool.get().run(tmp, "check", "rules", file.toString());
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS: " + distinct.size() + " rules found");
  }
}
