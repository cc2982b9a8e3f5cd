package io.microsandbox.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.otel.OtlpProtocol;
import io.microsandbox.metrics.otel.testing.OtlpTestReceiver;
import io.microsandbox.metrics.otel.testing.ReceivedRequest;
import io.microsandbox.metrics.registry.testing.TempShm;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Catalog labels end to end through {@code msb-metrics otel}: they arrive as plain data-point
 * attributes, excluded keys do not, and a label can never replace an identity attribute.
 */
@Timeout(60)
class OtelLabelsTest {
  @RegisterExtension final TempShm shm = new TempShm();
  @TempDir Path home;

  @Test
  void labelsArriveAsDataPointAttributesAndIdentityWins() throws Exception {
    CompletableFuture<String> stop = new CompletableFuture<>();
    StringWriter err = new StringWriter();
    CommandLine cli = StoppableCli.create(stop, new StringWriter(), err);

    try (LabelledHome labelled = new LabelledHome(shm, home);
        OtlpTestReceiver receiver =
            OtlpTestReceiver.start(OtlpProtocol.HTTP_PROTOBUF, null, false)) {
      labelled.writeCatalog();
      CompletableFuture<Integer> exit =
          CompletableFuture.supplyAsync(
              () ->
                  cli.execute(
                      "otel",
                      "--endpoint",
                      receiver.endpoint(),
                      "--protocol",
                      "http",
                      "--msb-home",
                      home.toString(),
                      "--exclude-label-key",
                      "secret",
                      "--collect-interval",
                      "50ms",
                      "--flush-interval",
                      "100ms"));
      List<NumberDataPoint> points = awaitMemoryPoints(receiver);
      stop.complete("test stop");
      assertThat(exit.get(20, TimeUnit.SECONDS)).as("stderr: %s", err).isZero();

      Map<String, Map<String, String>> byName = new HashMap<>();
      for (NumberDataPoint p : points) {
        Map<String, String> attributes = attributes(p.getAttributesList());
        byName.put(attributes.get("sandbox.name"), attributes);
      }
      assertThat(byName.get("web"))
          .containsEntry("sandbox.id", "40")
          .containsEntry("tier", "web")
          .containsEntry("user.id", "alice")
          .doesNotContainKey("secret");
      assertThat(byName.get("db")).containsEntry("tier", "db");
      assertThat(byName.get("unlisted")).containsOnlyKeys("sandbox.name", "sandbox.id");
      assertThat(byName).doesNotContainKey("impostor");
    } finally {
      stop.complete("test end");
    }
  }

  private static Map<String, String> attributes(List<KeyValue> keyValues) {
    Map<String, String> out = new TreeMap<>();
    for (KeyValue kv : keyValues) {
      // sandbox.id may be an int attribute; compare everything as text
      String value =
          kv.getValue().hasIntValue()
              ? Long.toString(kv.getValue().getIntValue())
              : kv.getValue().getStringValue();
      out.put(kv.getKey(), value);
    }
    return out;
  }

  private static List<NumberDataPoint> awaitMemoryPoints(OtlpTestReceiver receiver)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      for (ReceivedRequest r : receiver.accepted()) {
        List<NumberDataPoint> points = r.points("microsandbox.memory.usage");
        if (points.size() >= 3) {
          return points;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no request with the 3 sandboxes; got " + receiver.received().size());
  }
}
