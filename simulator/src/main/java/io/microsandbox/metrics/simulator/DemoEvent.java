package io.microsandbox.metrics.simulator;

/**
 * Something that happened to a simulated sandbox's slot, for the demo's log and for tests.
 *
 * @param kind what happened
 * @param sandboxName the sandbox's name
 * @param sandboxId its catalog id
 * @param slot the registry slot concerned
 * @param generation the generation the run's slot was reserved with
 * @param runId the run that started (STARTED, RESTARTED) or ended
 * @param pid the runtime's pid (for KILLED: the dead one)
 * @param memoryMib the sandbox's guest memory after the event, MiB (RESIZED: the new size)
 */
record DemoEvent(
    Kind kind,
    String sandboxName,
    int sandboxId,
    int slot,
    long generation,
    int runId,
    long pid,
    long memoryMib) {

  /** The kinds of event. */
  enum Kind {
    STARTED,
    STOPPED,
    KILLED,
    RESTARTED,
    RESIZED
  }

  /** One line for the demo's log, saying what a reader of the registry will see. */
  String describe() {
    return switch (kind) {
      case STARTED ->
          String.format(
              "sandbox %s (id %d) started in slot %d, run %d", sandboxName, sandboxId, slot, runId);
      case STOPPED ->
          String.format(
              "sandbox %s (id %d) exited cleanly: slot %d is stale now, so it stops appearing",
              sandboxName, sandboxId, slot);
      case KILLED ->
          String.format(
              "sandbox %s (id %d): runtime pid %d killed with SIGKILL: slot %d stays active with a"
                  + " dead owner; the reader treats it as stale and it stops appearing",
              sandboxName, sandboxId, pid, slot);
      case RESTARTED ->
          String.format(
              "sandbox %s (id %d) restarted in slot %d (generation %d), run %d: counters start"
                  + " again from zero",
              sandboxName, sandboxId, slot, generation, runId);
      case RESIZED ->
          String.format(
              "sandbox %s (id %d) resized live to %d MiB: its active_config in the catalog says so"
                  + " now, while its registry slot keeps the boot limit; the exported memory limit"
                  + " follows the catalog",
              sandboxName, sandboxId, memoryMib);
    };
  }
}
