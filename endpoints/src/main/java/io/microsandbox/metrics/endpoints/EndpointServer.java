package io.microsandbox.metrics.endpoints;

import io.microsandbox.metrics.endpoints.internal.HttpConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 server for {@link Endpoints}: one request per connection, GET only, bounded in
 * every way so that slow or hostile clients cannot stall it.
 *
 * <pre>
 *  accept thread --> bounded pool ({@value #THREADS} threads, {@value #QUEUE} waiting; beyond: closed at once)
 *                      read the request head (at most 8 KiB, within the request timeout)
 *                      -> Endpoints.handle -> write the answer, Connection: close
 *                    a watchdog closes any connection still open after the connection timeout
 * </pre>
 *
 * <pre>{@code
 * try (EndpointServer server = EndpointServer.start(new InetSocketAddress("127.0.0.1", 9464), endpoints)) {
 *   ...
 * }
 * }</pre>
 */
public final class EndpointServer implements AutoCloseable {
  /** Connections served at once. */
  public static final int THREADS = 4;

  /** Accepted connections waiting for a thread; more are closed at once. */
  public static final int QUEUE = 32;

  /** Default time a client has to send its request head. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);

  /** Default time a whole exchange may take, reading and writing. */
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(10);

  private static final Logger logger = LoggerFactory.getLogger(EndpointServer.class);
  private static final String PREFIX = "msb-metrics-http-";

  private final ServerSocket socket;
  private volatile Endpoints endpoints;
  private final Duration requestTimeout;
  private final Duration connectionTimeout;
  private final ThreadPoolExecutor pool;
  private final ScheduledExecutorService watchdog;
  private final Thread acceptor;
  private volatile boolean closed;

  private EndpointServer(ServerSocket socket, Duration requestTimeout, Duration connectionTimeout) {
    this.socket = socket;
    this.requestTimeout = requestTimeout;
    this.connectionTimeout = connectionTimeout;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            r -> daemon(r, PREFIX + n.incrementAndGet()));
    this.pool.allowCoreThreadTimeOut(true);
    this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, PREFIX + "watchdog"));
    this.acceptor = daemon(this::acceptLoop, PREFIX + "accept");
  }

  /**
   * Binds {@code address} and starts serving, with the default timeouts.
   *
   * @throws java.net.BindException when the address is in use or cannot be bound
   * @throws IOException any other failure to open the socket
   */
  public static EndpointServer start(InetSocketAddress address, Endpoints endpoints)
      throws IOException {
    return bind(address, DEFAULT_REQUEST_TIMEOUT, DEFAULT_CONNECTION_TIMEOUT).serve(endpoints);
  }

  /**
   * Binds {@code address} without serving yet, so that an address in use is reported before
   * anything else starts; {@link #serve} starts answering.
   *
   * @param requestTimeout time a client has to send its request head
   * @param connectionTimeout time a whole exchange may take
   * @throws java.net.BindException when the address is in use or cannot be bound
   * @throws IOException any other failure to open the socket
   */
  public static EndpointServer bind(
      InetSocketAddress address, Duration requestTimeout, Duration connectionTimeout)
      throws IOException {
    ServerSocket s = new ServerSocket();
    try {
      // a restart binds again at once despite connections in TIME_WAIT; on Linux a port another
      // socket listens on still fails with BindException
      s.setReuseAddress(true);
      s.bind(address, 64);
    } catch (IOException e) {
      s.close();
      throw e;
    }
    return new EndpointServer(s, requestTimeout, connectionTimeout);
  }

  /**
   * Starts answering with {@code endpoints} (connections made since {@link #bind} wait in the
   * backlog until now).
   *
   * @return this server
   * @throws IllegalStateException when called twice
   */
  public EndpointServer serve(Endpoints endpoints) {
    Objects.requireNonNull(endpoints, "endpoints");
    synchronized (this) {
      if (this.endpoints != null) {
        throw new IllegalStateException("already serving");
      }
      this.endpoints = endpoints;
    }
    acceptor.start();
    logger.info("serving /metrics, /-/healthy, /-/ready and /status on http://{}", authority());
    return this;
  }

  /** The bound address (the actual port when 0 was asked for). */
  public InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  private String authority() {
    InetSocketAddress a = address();
    String host = a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = socket.accept();
      } catch (SocketException e) {
        if (!closed) {
          logger.warn("endpoint server stopped accepting: {}", e.toString());
        }
        return;
      } catch (IOException e) {
        logger.debug("accept failed: {}", e.toString());
        continue;
      }
      try {
        pool.execute(() -> serve(client));
      } catch (RejectedExecutionException e) {
        closeQuietly(client); // every thread busy and the queue full: shed the connection
      }
    }
  }

  private void serve(Socket client) {
    java.util.concurrent.ScheduledFuture<?> kill;
    try {
      kill =
          watchdog.schedule(
              () -> closeQuietly(client), connectionTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      closeQuietly(client);
      return;
    }
    try {
      new HttpConnection(client, requestTimeout).serve(endpoints);
    } catch (IOException | UncheckedIOException e) {
      logger.debug("connection from {} ended: {}", client.getRemoteSocketAddress(), e.toString());
    } catch (RuntimeException e) {
      logger.warn("endpoint request failed: {}", e.toString());
    } finally {
      kill.cancel(false);
      closeQuietly(client);
    }
  }

  /** Stops accepting, closes the socket and ends every thread of the server. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(socket);
    pool.shutdownNow();
    watchdog.shutdownNow();
    try {
      if (acceptor.isAlive()) {
        acceptor.join(2_000);
      }
      pool.awaitTermination(2, TimeUnit.SECONDS);
      watchdog.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // already closed or reset by the peer
    }
  }
}
