package io.microsandbox.metrics.endpoints.internal;

import io.microsandbox.metrics.endpoints.Response;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * One connection of the endpoint server and where it stands: reading its request head, waiting for
 * its answer, or writing it. Driven by the server's selector thread only (non-blocking reads and
 * writes), so a client that sends or reads slowly costs a buffer, never a thread.
 *
 * <pre>
 *   READING --head complete--> HANDLING --answer--> WRITING --all written--> closed
 *      | head over {@value #MAX_HEAD} bytes: 431          (the deadlines are the server's)
 * </pre>
 */
public final class Exchange {
  /** The largest request head read. */
  public static final int MAX_HEAD = 8192;

  /** Where the exchange stands. */
  public enum State {
    /** Reading the request head. */
    READING,
    /** The head is complete; the answer is being computed. */
    HANDLING,
    /** Writing the answer. */
    WRITING
  }

  private final SocketChannel channel;
  private final SelectionKey key;
  private final long startedNanos;
  private @Nullable ByteBuffer in = ByteBuffer.allocate(512);
  private ByteBuffer[] out = new ByteBuffer[0];
  private State state = State.READING;
  private int scanned; // bytes of the head already searched for its end

  /**
   * Starts an exchange on a connection just accepted.
   *
   * @param channel the connection, non-blocking
   * @param key its registration with the server's selector
   * @param startedNanos when it was accepted ({@link System#nanoTime()})
   */
  public Exchange(SocketChannel channel, SelectionKey key, long startedNanos) {
    this.channel = channel;
    this.key = key;
    this.startedNanos = startedNanos;
  }

  /** When the connection was accepted ({@link System#nanoTime()}); deadlines count from here. */
  public long startedNanos() {
    return startedNanos;
  }

  /** Where the exchange stands. */
  public State state() {
    return state;
  }

  /** The connection's peer, for debug messages. */
  public String peer() {
    try {
      return String.valueOf(channel.getRemoteAddress());
    } catch (IOException e) {
      return "?";
    }
  }

  /**
   * Reads what the client sent so far.
   *
   * @return the complete request head (without the blank line); null while it is incomplete
   * @throws HeadTooLargeException when the head exceeds {@value #MAX_HEAD} bytes
   * @throws IOException when the connection failed or the client closed it before a full head
   */
  public @Nullable String readHead() throws IOException {
    ByteBuffer buf = in;
    if (buf == null) {
      return null;
    }
    while (true) {
      if (!buf.hasRemaining()) {
        if (buf.capacity() >= MAX_HEAD + 1) {
          throw new HeadTooLargeException();
        }
        // grow by doubling: most heads fit in 512 bytes, so idle connections stay cheap
        ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_HEAD + 1, buf.capacity() * 2));
        buf.flip();
        bigger.put(buf);
        buf = bigger;
        in = buf;
      }
      int n = channel.read(buf);
      if (n < 0) {
        throw new IOException("closed by the client before a complete request head");
      }
      int end = headEnd(buf.array(), Math.max(1, scanned - 3), buf.position());
      scanned = buf.position();
      if (end >= 0) {
        if (end > MAX_HEAD) {
          throw new HeadTooLargeException();
        }
        in = null;
        return new String(buf.array(), 0, end, StandardCharsets.ISO_8859_1).trim();
      }
      if (n == 0) {
        return null;
      }
    }
  }

  /** Marks the head as read and the answer as being computed: nothing more is read. */
  public void handling() {
    state = State.HANDLING;
    in = null;
    key.interestOps(0);
  }

  /**
   * Starts writing {@code r}, without its body when {@code withBody} is false (HEAD).
   *
   * @return whether everything is written already
   * @throws IOException when the connection failed
   */
  public boolean respond(Response r, boolean withBody) throws IOException {
    state = State.WRITING;
    in = null;
    ByteBuffer head = ByteBuffer.wrap(ResponseHead.of(r));
    out = withBody ? new ByteBuffer[] {head, ByteBuffer.wrap(r.body())} : new ByteBuffer[] {head};
    return write();
  }

  /**
   * Writes as much of the answer as the connection takes now.
   *
   * @return whether everything is written
   * @throws IOException when the connection failed
   */
  public boolean write() throws IOException {
    while (out.length > 0 && out[out.length - 1].hasRemaining()) {
      if (channel.write(out) == 0) {
        key.interestOps(SelectionKey.OP_WRITE); // the client reads slowly: wait until it does
        return false;
      }
    }
    return true;
  }

  /** Closes the connection. */
  public void close() {
    key.cancel();
    try {
      channel.close();
    } catch (IOException ignored) {
      // already closed or reset by the peer
    }
  }

  /**
   * The index just past the blank line that ends a head in {@code b[0, n)}, searching from {@code
   * from} (what was searched before holds no end), or -1.
   */
  private static int headEnd(byte[] b, int from, int n) {
    for (int i = from; i < n; i++) {
      if (b[i] == '\n') {
        if (b[i - 1] == '\n') {
          return i + 1;
        }
        if (i >= 3 && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
          return i + 1;
        }
      }
    }
    return -1;
  }

  /** The request head exceeded {@link #MAX_HEAD}. */
  public static final class HeadTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    HeadTooLargeException() {
      super("request head larger than " + MAX_HEAD + " bytes");
    }
  }
}
