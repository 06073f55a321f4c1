package io.nauta.ingress.it;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A backend on loopback, as a pod would be: answers with its name and the request it saw, streams
 * {@code /big} ({@value #BIG} bytes, counting what it produced), echoes WebSocket text frames.
 */
final class Backend implements AutoCloseable {

  static final long BIG = 100L * 1024 * 1024;
  private static final byte[] CHUNK = new byte[64 * 1024];

  final String name;
  final AtomicInteger requests = new AtomicInteger();
  final AtomicLong bigProduced = new AtomicLong();
  private final DisposableServer server;
  private final int port;

  Backend(String name, String address) {
    this.name = name;
    this.server =
        HttpServer.create()
            .host(address)
            .port(0)
            .handle(
                (req, res) -> {
                  if ("websocket".equalsIgnoreCase(req.requestHeaders().get("Upgrade"))) {
                    return res.sendWebsocket(
                        (in, out) ->
                            out.sendString(in.receive().asString().map(s -> name + ":" + s)));
                  }
                  requests.incrementAndGet();
                  if (req.uri().equals("/big")) {
                    bigProduced.set(0);
                    Flux<ByteBuf> chunks =
                        Flux.range(0, (int) (BIG / CHUNK.length))
                            .map(
                                i -> {
                                  bigProduced.addAndGet(CHUNK.length);
                                  return Unpooled.wrappedBuffer(CHUNK);
                                });
                    return res.header(HttpHeaderNames.CONTENT_LENGTH, Long.toString(BIG))
                        .send(chunks, b -> true)
                        .then();
                  }
                  String text =
                      name
                          + " host="
                          + req.requestHeaders().get("Host")
                          + " path="
                          + req.uri()
                          + " xff="
                          + req.requestHeaders().get("X-Forwarded-For")
                          + " proto="
                          + req.requestHeaders().get("X-Forwarded-Proto")
                          + " xhost="
                          + req.requestHeaders().get("X-Forwarded-Host");
                  return req.receive()
                      .aggregate()
                      .asString()
                      .defaultIfEmpty("")
                      .flatMap(
                          body ->
                              res.sendString(
                                      Mono.just(text + (body.isEmpty() ? "" : " body=" + body)),
                                      StandardCharsets.UTF_8)
                                  .then());
                })
            .bindNow();
    this.port = server.port();
  }

  int port() {
    return port;
  }

  @Override
  public void close() {
    server.disposeNow();
  }
}
