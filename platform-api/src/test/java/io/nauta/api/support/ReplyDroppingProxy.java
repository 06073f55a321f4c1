package io.nauta.api.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on loopback between the API server and the test Redis that can lose one reply: armed
 * with a marker, it forwards the first request that contains the marker to Redis, then swallows
 * what Redis answers until a reply containing {@code replyMarker} went by, and closes both sides of
 * that connection. Redis has then run the command, but its client never heard the answer: what a
 * network cut or a failover at the wrong moment does. Every other connection, and every connection
 * after that, passes through untouched.
 */
public final class ReplyDroppingProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final String targetHost;
  private final int targetPort;
  private final AtomicReference<String> armed = new AtomicReference<>();
  private volatile String replyMarker;
  private final AtomicInteger dropped = new AtomicInteger();

  public ReplyDroppingProxy(String redisUrl) throws IOException {
    URI uri = URI.create(redisUrl);
    this.targetHost = uri.getHost();
    this.targetPort = uri.getPort();
    this.listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread accept = new Thread(this::acceptLoop, "redis-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  public String url() {
    return "redis://127.0.0.1:" + listener.getLocalPort();
  }

  /** Loses the reply to the next request containing {@code requestMarker}. */
  public void dropReplyTo(String requestMarker, String replyMarker) {
    this.replyMarker = replyMarker;
    armed.set(requestMarker);
  }

  /** How many connections were cut after losing a reply. */
  public int droppedReplies() {
    return dropped.get();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(targetHost, targetPort);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        Connection c = new Connection(client, server);
        start("redis-proxy-up", c::pumpRequests);
        start("redis-proxy-down", c::pumpReplies);
      } catch (IOException e) {
        if (listener.isClosed()) {
          return;
        }
      }
    }
  }

  private static void start(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  private final class Connection {
    private final Socket client;
    private final Socket server;
    private volatile boolean losingReplies;

    Connection(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void pumpRequests() {
      byte[] buf = new byte[64 * 1024];
      try (InputStream in = client.getInputStream();
          OutputStream out = server.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) > 0) {
          String marker = armed.get();
          if (marker != null
              && new String(buf, 0, n, StandardCharsets.ISO_8859_1).contains(marker)
              && armed.compareAndSet(marker, null)) {
            losingReplies = true;
          }
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // closed
      } finally {
        closeBoth();
      }
    }

    void pumpReplies() {
      byte[] buf = new byte[64 * 1024];
      try (InputStream in = server.getInputStream();
          OutputStream out = client.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) > 0) {
          if (losingReplies) {
            if (new String(buf, 0, n, StandardCharsets.ISO_8859_1).contains(replyMarker)) {
              // Redis answered the command: the answer is lost, and so is the connection.
              dropped.incrementAndGet();
              closeBoth();
              return;
            }
            continue;
          }
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // closed
      } finally {
        closeBoth();
      }
    }

    private void closeBoth() {
      try {
        client.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      try {
        server.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
