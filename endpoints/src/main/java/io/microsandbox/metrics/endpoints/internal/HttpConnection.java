package io.microsandbox.metrics.endpoints.internal;

import io.microsandbox.metrics.endpoints.Endpoints;
import io.microsandbox.metrics.endpoints.Response;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One HTTP/1.x exchange on an accepted socket: read the request head (request line and headers, at
 * most {@value #MAX_HEAD} bytes, all within the request timeout), answer through {@link Endpoints},
 * close. A request body is never read (only GET is served).
 */
public final class HttpConnection {
  /** The largest request head read. */
  static final int MAX_HEAD = 8192;

  private final Socket socket;
  private final long deadlineNanos;

  /**
   * Prepares the exchange.
   *
   * @param socket the accepted connection
   * @param requestTimeout how long the client has to send its request head
   */
  public HttpConnection(Socket socket, Duration requestTimeout) {
    this.socket = socket;
    this.deadlineNanos = System.nanoTime() + requestTimeout.toNanos();
  }

  /** Reads the request, answers it. */
  public void serve(Endpoints endpoints) throws IOException {
    InputStream in = new BufferedInputStream(socket.getInputStream(), 1024);
    Response r;
    String method = "GET";
    try {
      String head = readHead(in);
      if (head == null) {
        return; // closed before a request
      }
      String[] lines = head.split("\r?\n");
      String[] requestLine = lines[0].split(" ");
      if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
        r = Response.text(400, "bad request");
      } else {
        method = requestLine[0];
        r = endpoints.handle(method, requestLine[1], header(lines, "accept"));
      }
    } catch (HeadTooLarge e) {
      r = Response.text(431, "request header too large");
    } catch (SocketTimeoutException e) {
      r = Response.text(408, "request timeout");
    }
    write(socket.getOutputStream(), r, !"HEAD".equals(method));
  }

  private String readHead(InputStream in) throws IOException {
    byte[] buf = new byte[MAX_HEAD];
    int n = 0;
    while (true) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        throw new SocketTimeoutException("request head not complete in time");
      }
      socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000L)));
      int b = in.read();
      if (b < 0) {
        return n == 0 ? null : new String(buf, 0, n, StandardCharsets.ISO_8859_1);
      }
      if (n == MAX_HEAD) {
        throw new HeadTooLarge();
      }
      buf[n++] = (byte) b;
      if (b == '\n' && (endsWith(buf, n, "\r\n\r\n") || endsWith(buf, n, "\n\n"))) {
        return new String(buf, 0, n, StandardCharsets.ISO_8859_1).trim();
      }
    }
  }

  private static boolean endsWith(byte[] buf, int n, String tail) {
    if (n < tail.length()) {
      return false;
    }
    for (int i = 0; i < tail.length(); i++) {
      if (buf[n - tail.length() + i] != tail.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static String header(String[] lines, String name) {
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
        return lines[i].substring(colon + 1).trim();
      }
    }
    return null;
  }

  private static void write(OutputStream out, Response r, boolean body) throws IOException {
    StringBuilder h = new StringBuilder(160);
    h.append("HTTP/1.1 ").append(r.status()).append(' ').append(reason(r.status())).append("\r\n");
    h.append("Content-Type: ").append(r.contentType()).append("\r\n");
    h.append("Content-Length: ").append(r.body().length).append("\r\n");
    if (r.status() == 405) {
      h.append("Allow: GET\r\n");
    }
    h.append("Cache-Control: no-store\r\n");
    h.append("Connection: close\r\n\r\n");
    out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body) {
      out.write(r.body());
    }
    out.flush();
  }

  private static String reason(int status) {
    switch (status) {
      case 200:
        return "OK";
      case 400:
        return "Bad Request";
      case 404:
        return "Not Found";
      case 405:
        return "Method Not Allowed";
      case 408:
        return "Request Timeout";
      case 431:
        return "Request Header Fields Too Large";
      case 503:
        return "Service Unavailable";
      default:
        return "Status";
    }
  }

  /** The request head exceeded {@link #MAX_HEAD}. */
  private static final class HeadTooLarge extends IOException {
    HeadTooLarge() {
      super("request head larger than " + MAX_HEAD + " bytes");
    }
  }
}
