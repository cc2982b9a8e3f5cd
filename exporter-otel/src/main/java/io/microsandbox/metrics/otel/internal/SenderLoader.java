package io.microsandbox.metrics.otel.internal;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.export.GrpcSenderProvider;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import java.util.List;
import java.util.function.Consumer;

/**
 * Hands the SDK's exporters this module's transports through their public {@code
 * setComponentLoader} hook: {@link JdkHttpSender} for HTTP, {@link GrpcOkHttpSender} for gRPC;
 * every other component is loaded as usual.
 */
public final class SenderLoader implements ComponentLoader {
  private final ComponentLoader fallback =
      ComponentLoader.forClassLoader(SenderLoader.class.getClassLoader());
  private final HttpSenderProvider http;
  private final GrpcSenderProvider grpc;

  /**
   * Creates the loader.
   *
   * @param successBodies receives the response message of every successful export (for partial
   *     successes)
   */
  public SenderLoader(Consumer<byte[]> successBodies) {
    this.http = config -> new JdkHttpSender(config, successBodies);
    this.grpc = config -> new GrpcOkHttpSender(config, successBodies);
  }

  @Override
  public <T> Iterable<T> load(Class<T> type) {
    if (type == HttpSenderProvider.class) {
      return List.of(type.cast(http));
    }
    if (type == GrpcSenderProvider.class) {
      return List.of(type.cast(grpc));
    }
    return fallback.load(type);
  }
}
