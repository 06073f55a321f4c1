package io.nauta.api.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy in front of a server that can cut its clients off the way a broken network
 * does without telling anyone: {@link #blackHole()} keeps every connection open but forwards
 * nothing either way (what arrives is read and dropped), and connections opened meanwhile are
 * accepted and treated alike. {@link #forward()} forwards new connections again; connections
 * black-holed before stay silent (half-open as far as the client can tell) until {@link
 * #closeBlackHoled()} closes them, as a peer that finally resets them would.
 */
public final class BlackHoleProxy implements AutoCloseable {

  private final InetSocketAddress target;
  private final ServerSocket listener;
  private final List<Link> links = new CopyOnWriteArrayList<>();
  private final AtomicLong accepted = new AtomicLong();
  private volatile boolean blackHoling;
  private volatile boolean closed;

  /** One client connection and, unless it was black-holed from the start, its upstream socket. */
  private final class Link {
    final Socket client;
    final Socket upstream;
    volatile boolean blackHoled;

    Link(Socket client, Socket upstream, boolean blackHoled) {
      this.client = client;
      this.upstream = upstream;
      this.blackHoled = blackHoled;
    }

    void start() {
      pump(client, upstream, "client->server");
      if (upstream != null) {
        pump(upstream, client, "server->client");
      }
    }

    private void pump(Socket from, Socket to, String direction) {
      Thread t =
          new Thread(
              () -> {
                byte[] buf = new byte[16 * 1024];
                try (InputStream in = from.getInputStream()) {
                  OutputStream out = to == null ? null : to.getOutputStream();
                  int n;
                  while ((n = in.read(buf)) >= 0) {
                    if (!blackHoled && out != null) {
                      out.write(buf, 0, n);
                      out.flush();
                    }
                  }
                } catch (IOException e) {
                  // The other side went away: close this link below.
                }
                if (!blackHoled) {
                  close();
                }
              },
              "black-hole-proxy " + direction);
      t.setDaemon(true);
      t.start();
    }

    void close() {
      closeQuietly(client);
      closeQuietly(upstream);
      links.remove(this);
    }
  }

  public BlackHoleProxy(String host, int port) {
    this.target = new InetSocketAddress(host, port);
    try {
      this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread acceptor = new Thread(this::acceptLoop, "black-hole-proxy accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A proxy in front of the server at {@code url} ({@code http://host:port}). */
  public static BlackHoleProxy to(String url) {
    java.net.URI uri = java.net.URI.create(url);
    return new BlackHoleProxy(uri.getHost(), uri.getPort());
  }

  public String url() {
    return "http://127.0.0.1:" + listener.getLocalPort();
  }

  /** Connections accepted so far. */
  public long accepted() {
    return accepted.get();
  }

  /** From now on nothing passes, on open connections and on new ones. */
  public void blackHole() {
    blackHoling = true;
    links.forEach(l -> l.blackHoled = true);
  }

  /** New connections are forwarded again; black-holed ones stay silent. */
  public void forward() {
    blackHoling = false;
  }

  /** Closes every black-holed connection, so its client sees the connection end. */
  public void closeBlackHoled() {
    for (Link l : links) {
      if (l.blackHoled) {
        l.close();
      }
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return;
      }
      accepted.incrementAndGet();
      boolean hole = blackHoling;
      Socket upstream = null;
      if (!hole) {
        try {
          upstream = new Socket();
          upstream.connect(target, 5_000);
        } catch (IOException e) {
          closeQuietly(client);
          continue;
        }
      }
      Link link = new Link(client, upstream, hole);
      links.add(link);
      link.start();
    }
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(listener);
    links.forEach(Link::close);
  }

  private static void closeQuietly(java.io.Closeable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
