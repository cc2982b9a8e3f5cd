package io.microsandbox.metrics.samples.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The backend configurations in {@code samples/config}: parsed and cross-checked here, and
 * validated by the real tools ({@code promtool}, {@code systemd-analyze}) where installed. Alloy
 * and the OpenTelemetry Collector cannot run on this machine, so their wiring is checked by
 * parsing: every component a pipeline names exists, and nothing is left unconnected.
 */
class BackendConfigsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  // ---- Grafana Alloy ----------------------------------------------------------------------

  private static final Pattern ALLOY_COMPONENT =
      Pattern.compile("(?m)^([a-z_][a-z0-9_]*(?:\\.[a-z_][a-z0-9_]*)+)\\s+\"([a-z0-9_]+)\"\\s*\\{");
  private static final Pattern ALLOY_REFERENCE =
      Pattern.compile(
          "\\b((?:otelcol|prometheus)(?:\\.[a-z_][a-z0-9_]*)+)\\.(input|receiver|handler)\\b");

  @ParameterizedTest
  @ValueSource(strings = {"alloy/remote-write.alloy", "alloy/grafana-cloud.alloy"})
  void alloyPipelineIsFullyWired(String name) throws IOException {
    String config = withoutAlloyComments(Files.readString(SampleConfigs.dir().resolve(name)));
    assertBalanced(config);

    Set<String> declared = new LinkedHashSet<>();
    Matcher c = ALLOY_COMPONENT.matcher(config);
    while (c.find()) {
      assertThat(declared.add(c.group(1) + "." + c.group(2)))
          .as("declared twice: %s", c.group())
          .isTrue();
    }
    Set<String> referenced = new HashSet<>();
    Matcher r = ALLOY_REFERENCE.matcher(config);
    while (r.find()) {
      referenced.add(r.group(1));
    }
    assertThat(declared).as("components of %s", name).contains("otelcol.receiver.otlp.msb");
    assertThat(referenced).as("every reference resolves").isSubsetOf(declared);
    Set<String> unconnected = new HashSet<>(declared);
    unconnected.removeAll(referenced);
    assertThat(unconnected)
        .as("only the receiver starts the pipeline")
        .containsExactly("otelcol.receiver.otlp.msb");
    assertThat(config).contains("\"127.0.0.1:4317\"", "\"127.0.0.1:4318\"");
    assertThat(config).as("secrets come from the environment").contains("sys.env(");
  }

  /** Drops // comments outside string literals (URLs inside strings contain "//"). */
  private static String withoutAlloyComments(String config) {
    StringBuilder out = new StringBuilder();
    boolean inString = false;
    for (int i = 0; i < config.length(); i++) {
      char ch = config.charAt(i);
      if (inString) {
        out.append(ch);
        if (ch == '\\' && i + 1 < config.length()) {
          out.append(config.charAt(++i));
        } else if (ch == '"') {
          inString = false;
        }
      } else if (ch == '/' && i + 1 < config.length() && config.charAt(i + 1) == '/') {
        while (i < config.length() && config.charAt(i) != '\n') {
          i++;
        }
        out.append('\n');
      } else {
        inString = ch == '"';
        out.append(ch);
      }
    }
    return out.toString();
  }

  private static void assertBalanced(String config) {
    int depth = 0;
    for (char ch : config.toCharArray()) {
      depth += ch == '{' ? 1 : ch == '}' ? -1 : 0;
      assertThat(depth).as("a '}' without its '{'").isNotNegative();
    }
    assertThat(depth).as("unclosed '{'").isZero();
  }

  // ---- OpenTelemetry Collector --------------------------------------------------------------

  @Test
  void otelCollectorPipelineIsFullyWired() throws IOException {
    JsonNode config =
        YAML.readTree(SampleConfigs.dir().resolve("otel-collector/config.yaml").toFile());
    JsonNode protocols = config.path("receivers").path("otlp").path("protocols");
    assertThat(protocols.path("grpc").path("endpoint").asText()).endsWith(":4317");
    assertThat(protocols.path("http").path("endpoint").asText()).endsWith(":4318");

    JsonNode pipelines = config.path("service").path("pipelines");
    assertThat(pipelines.fieldNames()).toIterable().containsExactly("metrics");
    for (String section : List.of("receivers", "processors", "exporters")) {
      Set<String> defined = new HashSet<>();
      config.path(section).fieldNames().forEachRemaining(defined::add);
      Set<String> used = new HashSet<>();
      pipelines.path("metrics").path(section).forEach(n -> used.add(n.asText()));
      assertThat(used).as("%s used by the pipeline", section).isNotEmpty().isEqualTo(defined);
    }
    assertThat(config.path("exporters").path("otlphttp/prometheus").path("endpoint").asText())
        .isEqualTo("${env:PROMETHEUS_OTLP_URL}");
  }

  // ---- Prometheus -----------------------------------------------------------------------------

  @Test
  void prometheusReceivesOtlpWithTheNamesTheDashboardUses() throws IOException {
    JsonNode config =
        YAML.readTree(SampleConfigs.dir().resolve("prometheus/prometheus.yml").toFile());
    JsonNode otlp = config.path("otlp");
    assertThat(otlp.path("translation_strategy").asText())
        .isEqualTo("UnderscoreEscapingWithSuffixes");
    assertThat(otlp.path("promote_resource_attributes").isArray()).isTrue();
    assertThat(config.path("storage").path("tsdb").path("out_of_order_time_window").asText())
        .isNotEmpty();
    for (JsonNode ruleFile : config.path("rule_files")) {
      assertThat(SampleConfigs.dir().resolve("prometheus").resolve(ruleFile.asText()))
          .isRegularFile();
    }
  }

  @Test
  void rulesUseOnlyEmittedSeries() throws IOException {
    JsonNode rules =
        YAML.readTree(SampleConfigs.dir().resolve("prometheus/msb-metrics.rules.yml").toFile());
    Map<String, String> expressions = new LinkedHashMap<>();
    Set<String> known = new HashSet<>(EmittedSeries.prometheusNames());
    for (JsonNode group : rules.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        String name =
            rule.has("record") ? rule.path("record").asText() : rule.path("alert").asText();
        expressions.put(name, rule.path("expr").asText());
        if (rule.has("record")) {
          known.add(name);
        }
      }
    }
    assertThat(expressions).containsKeys("MsbMetricsExportsStale", "MsbMetricsExportFailures");
    expressions.forEach(
        (name, expr) -> {
          PromQl.References refs = PromQl.references(expr);
          assertThat(refs.series()).as("series of %s", name).isNotEmpty().isSubsetOf(known);
          assertThat(refs.labels()).as("labels of %s", name).isSubsetOf(EmittedSeries.labelNames());
        });
  }

  /**
   * promtool checks the rules and the configuration. The Debian promtool (2.42) predates the {@code
   * otlp} section, so that section alone is left out of its copy of the configuration.
   */
  @Test
  void promtoolAcceptsConfigAndRules(@TempDir Path tmp) throws Exception {
    Optional<ExternalTool> promtool = ExternalTool.find("promtool");
    assumeTrue(promtool.isPresent(), "promtool not installed (apt-get install prometheus)");
    Path dir = SampleConfigs.dir().resolve("prometheus");
    Files.copy(dir.resolve("msb-metrics.rules.yml"), tmp.resolve("msb-metrics.rules.yml"));
    ObjectNode config = (ObjectNode) YAML.readTree(dir.resolve("prometheus.yml").toFile());
    config.remove("otlp");
    YAML.writeValue(tmp.resolve("prometheus.yml").toFile(), config);

    ExternalTool.Result check = promtool.get().run(tmp, "check", "config", "prometheus.yml");
    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS: 1 rule files found");
  }

  @Test
  void scrapeConfigTargetsTheListenAddressAndLoadsTheRules() throws IOException {
    JsonNode config = YAML.readTree(SampleConfigs.dir().resolve("prometheus/scrape.yml").toFile());
    JsonNode job = config.path("scrape_configs").get(0);
    assertThat(job.path("job_name").asText()).isEqualTo("microsandbox");
    assertThat(job.path("static_configs").get(0).path("targets").get(0).asText())
        .isEqualTo("127.0.0.1:9464");
    assertThat(job.has("honor_timestamps")).as("leave the scrape time to Prometheus").isFalse();
    assertThat(config.path("rule_files").get(0).asText()).isEqualTo("msb-metrics.rules.yml");
  }

  @Test
  void promtoolAcceptsTheScrapeConfig(@TempDir Path tmp) throws Exception {
    Optional<ExternalTool> promtool = ExternalTool.find("promtool");
    assumeTrue(promtool.isPresent(), "promtool not installed (apt-get install prometheus)");
    Path dir = SampleConfigs.dir().resolve("prometheus");
    Files.copy(dir.resolve("msb-metrics.rules.yml"), tmp.resolve("msb-metrics.rules.yml"));
    Files.copy(dir.resolve("scrape.yml"), tmp.resolve("scrape.yml"));
    ExternalTool.Result check = promtool.get().run(tmp, "check", "config", "scrape.yml");
    assertThat(check.exitCode()).as(check.output()).isZero();
  }

  // ---- Kubernetes -----------------------------------------------------------------------------

  @Test
  void kubernetesProbesHitTheEndpointsOnTheListenPort() throws IOException {
    JsonNode set =
        YAML.readTree(SampleConfigs.dir().resolve("kubernetes/msb-metrics-probes.yaml").toFile());
    assertThat(set.path("kind").asText()).isEqualTo("DaemonSet");
    JsonNode pod = set.path("spec").path("template").path("spec");
    assertThat(pod.path("hostIPC").asBoolean())
        .as("the registry is in the host's /dev/shm")
        .isTrue();
    assertThat(pod.path("hostPID").asBoolean()).as("runtime pids are the host's").isTrue();
    JsonNode container = pod.path("containers").get(0);
    List<String> args = new ArrayList<>();
    container.path("args").forEach(a -> args.add(a.asText()));
    assertThat(args.get(0)).isEqualTo("prometheus");
    String listen = args.get(args.indexOf("--listen") + 1);
    int port = container.path("ports").get(0).path("containerPort").asInt();
    assertThat(listen).isEqualTo("$(POD_IP):" + port);
    String portName = container.path("ports").get(0).path("name").asText();
    assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/-/healthy");
    assertThat(container.path("livenessProbe").path("httpGet").path("port").asText())
        .isEqualTo(portName);
    assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/-/ready");
    assertThat(
            set.path("spec")
                .path("template")
                .path("metadata")
                .path("annotations")
                .path("prometheus.io/port")
                .asText())
        .isEqualTo(Integer.toString(port));
  }

  // ---- systemd --------------------------------------------------------------------------------

  @Test
  void systemdUnitRunsTheLauncherAsTheMicrosandboxUser() throws IOException {
    Map<String, String> service =
        unitSection(SampleConfigs.dir().resolve("systemd/msb-metrics.service"), "Service");
    assertThat(service.get("ExecStart"))
        .startsWith("/opt/msb-metrics/bin/msb-metrics ")
        .contains(" otel --endpoint ");
    assertThat(service).containsKeys("User", "EnvironmentFile");
    assertThat(service.get("Environment")).startsWith("MSB_HOME=");
    // a private /dev would hide the registry in /dev/shm
    assertThat(service).doesNotContainKey("PrivateDevices");
    assertThat(service.get("TimeoutStopSec")).isEqualTo("60s");
  }

  /**
   * Under ProtectSystem=strict only the unit's own directories are writable: the spool path the
   * unit (and the README) uses must be under its StateDirectory, or every append fails.
   */
  @Test
  void systemdUnitKeepsTheSpoolInItsStateDirectory() throws IOException {
    Map<String, String> service =
        unitSection(SampleConfigs.dir().resolve("systemd/msb-metrics.service"), "Service");
    assertThat(service.get("ProtectSystem")).isEqualTo("strict");
    assertThat(service.get("StateDirectory")).isEqualTo("msb-metrics");
    assertThat(service.get("ExecStart")).contains(" --spool-dir /var/lib/msb-metrics/spool");
    String readme = Files.readString(SampleConfigs.repositoryRoot().resolve("README.md"));
    assertThat(readme).contains("StateDirectory=msb-metrics", "/var/lib/msb-metrics/spool");
  }

  /**
   * Wherever a promtool check of prometheus.yml is suggested, the Prometheus 3 requirement is said
   * next to it: Debian's promtool (2.x) refuses its otlp section.
   */
  @Test
  void theOtlpPrometheusConfigSaysItNeedsPrometheus3ForPromtool() throws IOException {
    String config = Files.readString(SampleConfigs.dir().resolve("prometheus/prometheus.yml"));
    assertThat(config).contains("Prometheus 3 promtool", "field otlp not found");
    String readme = Files.readString(SampleConfigs.repositoryRoot().resolve("README.md"));
    int check = readme.indexOf("promtool check config");
    assertThat(check).isPositive();
    assertThat(readme.substring(check, check + 400)).contains("Prometheus 3");
  }

  /** systemd's own checker, on a copy whose ExecStart is this repository's launcher. */
  @Test
  void systemdAnalyzeVerifiesTheUnit(@TempDir Path tmp) throws Exception {
    Optional<ExternalTool> analyze = ExternalTool.find("systemd-analyze");
    assumeTrue(analyze.isPresent(), "systemd-analyze not installed");
    Path launcher = SampleConfigs.repositoryRoot().resolve("bin/msb-metrics");
    assertThat(launcher).isExecutable();
    String unit =
        Files.readString(SampleConfigs.dir().resolve("systemd/msb-metrics.service"))
            .replace("/opt/msb-metrics/bin/msb-metrics", launcher.toString())
            .replace("/etc/msb-metrics/msb-metrics.env", tmp.resolve("msb-metrics.env").toString());
    Files.copy(
        SampleConfigs.dir().resolve("systemd/msb-metrics.env"), tmp.resolve("msb-metrics.env"));
    Files.writeString(tmp.resolve("msb-metrics.service"), unit);

    ExternalTool.Result r =
        analyze.get().run(tmp, "verify", tmp.resolve("msb-metrics.service").toString());
    // verify exits 0 even for ignored settings; anything it prints is a problem
    assertThat(r.output()).as("systemd-analyze verify").isBlank();
    assertThat(r.exitCode()).isZero();
  }

  private static Map<String, String> unitSection(Path unit, String section) throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    String current = "";
    for (String line : Files.readAllLines(unit)) {
      String l = line.strip();
      if (l.startsWith("[")) {
        current = l.substring(1, l.length() - 1);
      } else if (current.equals(section) && !l.isEmpty() && !l.startsWith("#")) {
        int eq = l.indexOf('=');
        values.put(l.substring(0, eq), l.substring(eq + 1));
      }
    }
    return values;
  }
}
