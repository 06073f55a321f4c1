package io.nauta.agent.runtime.docker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A connection to the Docker engine upgraded to a raw stream ({@code POST /exec/{id}/start}/{@code
 * /containers/{id}/attach} with {@code Upgrade: tcp}), as the docker CLI opens it. docker-java's
 * transports cannot half-close such a connection, and only a half-close tells the engine that
 * standard input ended (so {@code echo hi | kubectl exec -i pod -- cat} ends): hence a socket of
 * its own. Reads and writes block and may run on two threads at once (a {@link SocketChannel} in
 * blocking mode allows one reader and one writer concurrently).
 */
final class HijackedStream implements AutoCloseable {

  private static final Pattern MESSAGE =
      Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** The most of an engine's refusal read. */
  private static final int MAX_ERROR_BYTES = 4096;

  private final SocketChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(32 * 1024);

  private HijackedStream(SocketChannel channel) {
    this.channel = channel;
    buffer.flip(); // empty, ready for reading
  }

  /**
   * Sends {@code POST pathAndQuery} with {@code body} (JSON, may be null) and reads the engine's
   * answer up to the raw stream.
   *
   * @throws DockerStreamException with the engine's message when it does not upgrade
   */
  static HijackedStream open(URI host, String pathAndQuery, String body) throws IOException {
    SocketChannel channel = connect(host);
    HijackedStream stream = new HijackedStream(channel);
    try {
      byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      String head =
          "POST "
              + pathAndQuery
              + " HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
              + "Content-Type: application/json\r\nContent-Length: "
              + content.length
              + "\r\n\r\n";
      stream.write(head.getBytes(StandardCharsets.US_ASCII));
      if (content.length > 0) {
        stream.write(content);
      }
      stream.readResponseHead();
      return stream;
    } catch (IOException | RuntimeException e) {
      stream.close();
      throw e;
    }
  }

  private static SocketChannel connect(URI host) throws IOException {
    String scheme = host.getScheme() == null ? "" : host.getScheme();
    switch (scheme) {
      case "unix" -> {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(host.getPath()));
        return ch;
      }
      case "tcp", "http" -> {
        return SocketChannel.open(
            new InetSocketAddress(host.getHost(), host.getPort() < 0 ? 2375 : host.getPort()));
      }
      default ->
          throw new DockerStreamException(
              500,
              "streams (exec, attach) need a unix:// or tcp:// Docker host without TLS, not "
                  + host);
    }
  }

  private void readResponseHead() throws IOException {
    StringBuilder head = new StringBuilder();
    while (head.indexOf("\r\n\r\n") < 0) {
      int b = readByte();
      if (b < 0) {
        throw new IOException("the Docker engine closed the connection before answering");
      }
      head.append((char) b);
    }
    String statusLine = head.substring(0, head.indexOf("\r\n"));
    String[] parts = statusLine.split(" ", 3);
    int code = parts.length > 1 ? Integer.parseInt(parts[1]) : 500;
    if (code == 101 || code == 200) {
      return;
    }
    byte[] body = new byte[MAX_ERROR_BYTES];
    int n = 0;
    int r;
    while (n < body.length && (r = read(body, n, body.length - n)) > 0) {
      n += r;
    }
    String text = new String(body, 0, n, StandardCharsets.UTF_8);
    Matcher m = MESSAGE.matcher(text);
    throw new DockerStreamException(
        code, m.find() ? m.group(1).replace("\\\"", "\"") : statusLine + " " + text.strip());
  }

  private int readByte() throws IOException {
    if (!fill()) {
      return -1;
    }
    return buffer.get() & 0xff;
  }

  /** Whether bytes are buffered, reading more if none are; false at end of stream. */
  private boolean fill() throws IOException {
    if (buffer.hasRemaining()) {
      return true;
    }
    buffer.clear();
    int n = channel.read(buffer);
    buffer.flip();
    return n > 0 || (n == 0 && fill());
  }

  /** Reads up to {@code len} bytes, blocking until at least one; -1 at end of stream. */
  int read(byte[] dst, int off, int len) throws IOException {
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, buffer.remaining());
    buffer.get(dst, off, n);
    return n;
  }

  /** Reads exactly {@code dst.length} bytes; false if the stream ended before the first. */
  boolean readFully(byte[] dst) throws IOException {
    int n = 0;
    while (n < dst.length) {
      int r = read(dst, n, dst.length - n);
      if (r < 0) {
        if (n == 0) {
          return false;
        }
        throw new IOException("the Docker engine's stream ended inside a frame");
      }
      n += r;
    }
    return true;
  }

  void write(byte[] bytes) throws IOException {
    ByteBuffer out = ByteBuffer.wrap(bytes);
    while (out.hasRemaining()) {
      channel.write(out);
    }
  }

  /** Tells the engine that standard input ended. */
  void shutdownOutput() throws IOException {
    channel.shutdownOutput();
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // Closing a connection that broke: nothing left to release.
    }
  }
}
