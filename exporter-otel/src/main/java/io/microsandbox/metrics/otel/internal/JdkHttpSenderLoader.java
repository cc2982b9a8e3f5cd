package io.microsandbox.metrics.otel.internal;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import java.util.List;
import java.util.function.Consumer;

/**
 * Hands the SDK's HTTP exporter a {@link JdkHttpSender} through its public {@code
 * setComponentLoader} hook; every other component is loaded as usual.
 */
public final class JdkHttpSenderLoader implements ComponentLoader {
  private final ComponentLoader fallback =
      ComponentLoader.forClassLoader(JdkHttpSenderLoader.class.getClassLoader());
  private final HttpSenderProvider provider;

  /**
   * Creates the loader.
   *
   * @param successBodies receives the body of every 2xx response (for partial successes)
   */
  public JdkHttpSenderLoader(Consumer<byte[]> successBodies) {
    this.provider = config -> new JdkHttpSender(config, successBodies);
  }

  @Override
  public <T> Iterable<T> load(Class<T> type) {
    if (type == HttpSenderProvider.class) {
      return List.of(type.cast(provider));
    }
    return fallback.load(type);
  }
}
