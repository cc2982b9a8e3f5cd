package io.microsandbox.metrics.endpoints.internal;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The parts of an HTTP/1.x request head the endpoints answer from: method, path (with its query)
 * and the {@code Accept} header.
 *
 * <p>The request target may be in origin form ({@code /metrics}) or in absolute form ({@code
 * http://host:9464/metrics}, which RFC 9112 section 3.2.2 says a server must accept, and which
 * clients talking through a proxy send); the absolute form is reduced to its path.
 *
 * @param method the method, as sent
 * @param path the path and query, always starting with {@code /}
 * @param accept the {@code Accept} header, or null when there is none
 */
public record RequestHead(String method, String path, @Nullable String accept) {

  /**
   * Parses a request head (request line and header lines, without the blank line).
   *
   * @return the request, or null when the head is not an HTTP/1.x request this server understands
   */
  public static @Nullable RequestHead parse(String head) {
    String[] lines = head.split("\r?\n");
    String[] requestLine = lines[0].split(" ");
    if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
      return null;
    }
    String path = originForm(requestLine[1]);
    if (path == null || requestLine[0].isEmpty()) {
      return null;
    }
    return new RequestHead(requestLine[0], path, header(lines, "accept"));
  }

  /** {@code target} as a path: itself in origin form, its path in absolute form; else null. */
  static @Nullable String originForm(String target) {
    if (target.startsWith("/")) {
      return target;
    }
    String lower = target.toLowerCase(Locale.ROOT);
    int afterScheme;
    if (lower.startsWith("http://")) {
      afterScheme = "http://".length();
    } else if (lower.startsWith("https://")) {
      afterScheme = "https://".length();
    } else {
      return null; // authority form (CONNECT) or asterisk form (OPTIONS *): not served here
    }
    int pathStart = target.indexOf('/', afterScheme);
    int queryStart = target.indexOf('?', afterScheme);
    if (pathStart < 0 || (queryStart >= 0 && queryStart < pathStart)) {
      // http://host or http://host?x: the path is empty, which means "/"
      return queryStart < 0 ? "/" : "/" + target.substring(queryStart);
    }
    return target.substring(pathStart);
  }

  private static @Nullable String header(String[] lines, String name) {
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
        return lines[i].substring(colon + 1).trim();
      }
    }
    return null;
  }
}
