package io.microsandbox.metrics.collector.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the collector's threads: daemon, named {@code msb-metrics-...} so that thread dumps and
 * leak checks can tell them apart.
 */
public final class NamedThreadFactory implements ThreadFactory {
  /** The prefix of every thread the collector starts. */
  public static final String PREFIX = "msb-metrics-";

  private final String name;
  private final AtomicInteger count = new AtomicInteger();

  /**
   * Creates a factory.
   *
   * @param name the thread name; must start with {@link #PREFIX}; further threads get a suffix
   */
  public NamedThreadFactory(String name) {
    if (!name.startsWith(PREFIX)) {
      throw new IllegalArgumentException("thread name must start with " + PREFIX + ": " + name);
    }
    this.name = name;
  }

  @Override
  public Thread newThread(Runnable r) {
    int n = count.incrementAndGet();
    Thread t = new Thread(r, n == 1 ? name : name + "-" + n);
    t.setDaemon(true);
    return t;
  }
}
