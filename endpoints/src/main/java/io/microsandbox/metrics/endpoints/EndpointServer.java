package io.microsandbox.metrics.endpoints;

import io.microsandbox.metrics.endpoints.internal.Exchange;
import io.microsandbox.metrics.endpoints.internal.RequestHead;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 server for {@link Endpoints}: one request per connection, GET and HEAD, bounded
 * in every way so that slow, silent or hostile clients cannot starve the probes or the scrape.
 *
 * <pre>
 *  one selector thread: accepts, reads every request head and writes every answer, non-blocking
 *    | probes and /status (answered from a status snapshot, never blocking): answered right there
 *    | routes (/metrics): computed on {@value #ROUTE_THREADS} route threads ({@value #ROUTE_QUEUE}
 *    |                    waiting, beyond: 503), written back by the selector thread
 *  deadlines, counted from the moment the connection was accepted:
 *    request head complete within the request timeout (default 2 s), else 408 and close
 *    the whole exchange within the connection timeout (default 10 s), else close
 *  at most {@value #MAX_CONNECTIONS} connections open: a new one pushes out the oldest connection
 *    still sending its request head (a newcomer, a probe among them, always gets in)
 *  at most {@value #MAX_ROUTE_ANSWERS} route answers (scrapes) being written: a new one pushes out
 *    the oldest (a client that does not read its scrape holds no more than that many bodies)
 * </pre>
 *
 * <p>Why this shape: a client that trickles its request or never reads its answer costs a buffer
 * here, never a thread, so no number of them can hold the probes back (the thread-per-connection
 * server it replaces was stalled by about 40 such clients).
 *
 * <pre>{@code
 * try (EndpointServer server = EndpointServer.start(new InetSocketAddress("127.0.0.1", 9464), endpoints)) {
 *   ...
 * }
 * }</pre>
 */
public final class EndpointServer implements AutoCloseable {
  /** Threads that compute the answers of added routes (a Prometheus scrape). */
  public static final int ROUTE_THREADS = 2;

  /** Route requests waiting for a route thread; more are answered 503. */
  public static final int ROUTE_QUEUE = 16;

  /**
   * Route answers (scrapes) being written at once; a new one closes the oldest. Bounds the memory
   * that clients who never read their scrape can hold (a 5,000-sandbox scrape is about 6 MiB).
   */
  public static final int MAX_ROUTE_ANSWERS = 16;

  /** Connections open at once (each costs a socket and a small buffer). */
  public static final int MAX_CONNECTIONS = 256;

  /** Default time a client has to send its request head, from the moment it connected. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);

  /** Default time a whole exchange may take, reading and writing, from the moment it connected. */
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(10);

  private static final Logger logger = LoggerFactory.getLogger(EndpointServer.class);
  private static final String PREFIX = "msb-metrics-http-";
  // how often the deadlines are checked when nothing else wakes the selector
  private static final long DEADLINE_CHECK_MS = 50;

  private final ServerSocketChannel socket;
  private final Selector selector;
  private final long requestTimeoutNanos;
  private final long connectionTimeoutNanos;
  private final ThreadPoolExecutor routes;
  private final Thread selectorThread;
  // in accept order, so the first one still reading is the oldest
  private final Set<Exchange> open = new LinkedHashSet<>();
  private final Queue<Answer> answered = new ConcurrentLinkedQueue<>();
  // route answers being written, oldest first
  private final Set<Exchange> writingRoutes = new LinkedHashSet<>();
  private volatile int routeAnswersInFlight;
  private volatile @Nullable Endpoints endpoints;
  private volatile boolean closed;

  private record Answer(Exchange exchange, Response response, boolean withBody) {}

  private EndpointServer(
      ServerSocketChannel socket, Duration requestTimeout, Duration connectionTimeout)
      throws IOException {
    this.socket = socket;
    this.selector = Selector.open();
    this.requestTimeoutNanos = requestTimeout.toNanos();
    this.connectionTimeoutNanos = connectionTimeout.toNanos();
    AtomicInteger n = new AtomicInteger();
    this.routes =
        new ThreadPoolExecutor(
            ROUTE_THREADS,
            ROUTE_THREADS,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(ROUTE_QUEUE),
            r -> daemon(r, PREFIX + n.incrementAndGet()));
    this.routes.allowCoreThreadTimeOut(true);
    this.selectorThread = daemon(this::loop, PREFIX + "selector");
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
   * @param requestTimeout time a client has to send its request head, from connecting
   * @param connectionTimeout time a whole exchange may take, from connecting
   * @throws java.net.BindException when the address is in use or cannot be bound
   * @throws IOException any other failure to open the socket
   */
  public static EndpointServer bind(
      InetSocketAddress address, Duration requestTimeout, Duration connectionTimeout)
      throws IOException {
    ServerSocketChannel s = ServerSocketChannel.open();
    try {
      // a restart binds again at once despite connections in TIME_WAIT; on Linux a port another
      // socket listens on still fails with BindException
      s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      s.bind(address, 64);
      s.configureBlocking(false);
      return new EndpointServer(s, requestTimeout, connectionTimeout);
    } catch (IOException e) {
      s.close();
      throw e;
    }
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
    try {
      socket.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serve: the server was closed", e);
    }
    selectorThread.start();
    logger.info("serving /metrics, /-/healthy, /-/ready and /status on http://{}", authority());
    return this;
  }

  /** The bound address (the actual port when 0 was asked for). */
  public InetSocketAddress address() {
    try {
      return (InetSocketAddress) socket.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException("the server is closed", e);
    }
  }

  private String authority() {
    InetSocketAddress a = address();
    String host = a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  private void loop() {
    long nextDeadlineCheck = 0;
    try {
      while (!closed) {
        selector.select(DEADLINE_CHECK_MS);
        for (SelectionKey key : selector.selectedKeys()) {
          if (!key.isValid()) {
            continue;
          }
          if (key.isAcceptable()) {
            acceptAll();
          } else if (key.attachment() instanceof Exchange exchange) {
            onReady(key, exchange);
          }
        }
        selector.selectedKeys().clear();
        for (Answer a; (a = answered.poll()) != null; ) {
          if (open.contains(a.exchange())) {
            sendRouteAnswer(a);
          }
        }
        long now = System.nanoTime();
        if (now - nextDeadlineCheck >= 0) {
          enforceDeadlines(now);
          nextDeadlineCheck = now + DEADLINE_CHECK_MS * 1_000_000L;
        }
      }
    } catch (IOException | ClosedSelectorException e) {
      if (!closed) {
        logger.warn("endpoint server stopped: {}", e.toString());
      }
    } finally {
      for (Exchange e : open) {
        e.close();
      }
      open.clear();
      closeQuietly(selector);
      closeQuietly(socket);
    }
  }

  private void acceptAll() throws IOException {
    while (true) {
      SocketChannel client;
      try {
        client = socket.accept();
      } catch (IOException e) {
        // out of file descriptors, or the client reset before the accept: not the server's end
        logger.debug("accept failed: {}", e.toString());
        return;
      }
      if (client == null) {
        return;
      }
      if (open.size() >= MAX_CONNECTIONS && !evictOldestReading()) {
        closeQuietly(client); // every slot answering a complete request: shed the newcomer
        continue;
      }
      client.configureBlocking(false);
      SelectionKey key = client.register(selector, SelectionKey.OP_READ);
      Exchange exchange = new Exchange(client, key, System.nanoTime());
      key.attach(exchange);
      open.add(exchange);
    }
  }

  /** Closes the oldest connection still sending its head; false when there is none. */
  private boolean evictOldestReading() {
    for (Exchange e : open) {
      if (e.state() == Exchange.State.READING) {
        logger.debug("connection limit reached: closing {}, still sending its request", e.peer());
        finish(e);
        return true;
      }
    }
    return false;
  }

  private void onReady(SelectionKey key, Exchange exchange) {
    try {
      if (exchange.state() == Exchange.State.READING && key.isReadable()) {
        String head;
        try {
          head = exchange.readHead();
        } catch (Exchange.HeadTooLargeException e) {
          send(exchange, Response.text(431, "request header too large"), true);
          return;
        }
        if (head != null) {
          dispatch(exchange, head);
        }
      } else if (exchange.state() == Exchange.State.WRITING && key.isWritable()) {
        if (exchange.write()) {
          finish(exchange);
        }
      }
    } catch (IOException e) {
      logger.debug("connection from {} ended: {}", exchange.peer(), e.toString());
      finish(exchange);
    }
  }

  private void dispatch(Exchange exchange, String head) throws IOException {
    RequestHead request = RequestHead.parse(head);
    Endpoints e = Objects.requireNonNull(endpoints, "serving");
    if (request == null) {
      send(exchange, Response.text(400, "bad request"), true);
      return;
    }
    boolean withBody = !"HEAD".equals(request.method());
    if (!e.isRoute(request.path())) {
      // probes, /status, 404 and 405: answered from a status snapshot, never blocking
      send(exchange, e.handle(request.method(), request.path(), request.accept()), withBody);
      return;
    }
    exchange.handling();
    try {
      routes.execute(() -> answer(exchange, e, request, withBody));
    } catch (RejectedExecutionException x) {
      send(exchange, Response.text(503, "busy: too many requests in progress"), true);
    }
  }

  /** On a route thread: computes the answer and hands it to the selector thread. */
  private void answer(Exchange exchange, Endpoints e, RequestHead request, boolean withBody) {
    Response r;
    try {
      r = e.handle(request.method(), request.path(), request.accept());
    } catch (RuntimeException x) {
      logger.warn("endpoint request {} failed: {}", request.path(), x.toString());
      r = Response.text(500, "internal error");
    }
    answered.add(new Answer(exchange, r, withBody));
    selector.wakeup();
  }

  private void sendRouteAnswer(Answer a) {
    if (writingRoutes.size() >= MAX_ROUTE_ANSWERS) {
      Exchange oldest = writingRoutes.iterator().next();
      logger.debug("route answer limit reached: closing {}, not reading its answer", oldest.peer());
      finish(oldest);
    }
    send(a.exchange(), a.response(), a.withBody());
    if (open.contains(a.exchange())) {
      writingRoutes.add(a.exchange());
      routeAnswersInFlight = writingRoutes.size();
    }
  }

  /** Route answers being written now (at most {@link #MAX_ROUTE_ANSWERS}). */
  int routeAnswersInFlight() {
    return routeAnswersInFlight;
  }

  private void send(Exchange exchange, Response r, boolean withBody) {
    try {
      if (exchange.respond(r, withBody)) {
        finish(exchange);
      }
    } catch (IOException e) {
      logger.debug("connection from {} ended: {}", exchange.peer(), e.toString());
      finish(exchange);
    }
  }

  private void enforceDeadlines(long now) {
    for (Exchange e : new ArrayList<>(open)) {
      long age = now - e.startedNanos();
      if (age >= connectionTimeoutNanos) {
        logger.debug("connection from {} closed: exchange not done in time", e.peer());
        finish(e);
      } else if (age >= requestTimeoutNanos && e.state() == Exchange.State.READING) {
        send(e, Response.text(408, "request timeout"), true); // written if it fits, else cut
        if (open.contains(e) && e.state() == Exchange.State.WRITING) {
          finish(e);
        }
      }
    }
  }

  private void finish(Exchange e) {
    open.remove(e);
    if (writingRoutes.remove(e)) {
      routeAnswersInFlight = writingRoutes.size();
    }
    e.close();
  }

  /** Stops accepting, closes every connection and ends every thread of the server. */
  @Override
  public void close() {
    closed = true;
    routes.shutdownNow();
    if (selectorThread.isAlive()) {
      selector.wakeup();
      try {
        selectorThread.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      closeQuietly(selector);
      closeQuietly(socket);
    }
    try {
      routes.awaitTermination(2, TimeUnit.SECONDS);
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
