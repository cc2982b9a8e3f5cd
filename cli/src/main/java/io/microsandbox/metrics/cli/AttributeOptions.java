package io.microsandbox.metrics.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The attributes a command adds to what it ships ({@code otel}, {@code demo}, {@code prometheus}):
 * {@code --resource KEY=VALUE}, {@code --emit-run-id}, {@code --emit-pid}. Declared once here; the
 * help names both spellings, since {@code otel --listen} ships the same attributes over OTLP
 * ({@code sandbox.run_id}) and on {@code /metrics} ({@code sandbox_run_id}). Mix in with
 * {@code @Mixin AttributeOptions attributes;}.
 */
public final class AttributeOptions {

  @Option(
      names = "--resource",
      paramLabel = "KEY=VALUE",
      description =
          "Resource attribute (repeatable), on the OTLP resource and Prometheus's target_info;"
              + " overrides service.name, service.instance.id.")
  List<String> resources = new ArrayList<>();

  @Option(
      names = "--emit-run-id",
      description = "Add the sandbox's run id to every point (sandbox.run_id, sandbox_run_id).")
  boolean emitRunId;

  @Option(
      names = "--emit-pid",
      description = "Add the sandbox's pid to every point (sandbox.pid, sandbox_pid).")
  boolean emitPid;

  /** Whether {@code --emit-run-id} was given. */
  boolean emitRunId() {
    return emitRunId;
  }

  /** Whether {@code --emit-pid} was given. */
  boolean emitPid() {
    return emitPid;
  }

  /**
   * The {@code --resource} attributes, in the order given.
   *
   * @throws CommandLine.ParameterException naming {@code --resource} for an entry that is not
   *     KEY=VALUE (exit code 2)
   */
  Map<String, String> resource(CommandLine cli) {
    return OtelCommand.pairs(cli, resources, "--resource", true);
  }
}
