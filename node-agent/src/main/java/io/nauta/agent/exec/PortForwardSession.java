package io.nauta.agent.exec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;

/**
 * One {@code kubectl port-forward} connection as kubectl 1.31+ opens it: SPDY/3.1 tunnelled in the
 * binary messages of a WebSocket ({@code SPDY/3.1+portforward.k8s.io}, client-go's tunnelling
 * dialer), the SPDY side served as the kubelet serves {@code portforward.k8s.io}. Each forwarded
 * connection is a pair of streams the client opens with headers {@code streamType} ({@code error}
 * or {@code data}), {@code port} and {@code requestID}; every stream is replied to, and once both
 * of a pair are there the pod's port is connected to (at the address the runtime gives) and bytes
 * flow both ways on the data stream. A connection that fails is reported on the error stream as the
 * kubelet words it; when the pod's side ends, both streams are finished. PINGs are answered.
 * Framing and header compression are Netty's SPDY codec.
 *
 * <p>Backpressure: the pod's bytes are read only as the WebSocket takes them (all pairs share the
 * socket, one chunk read ahead each), and the client's next message is read only once the bytes
 * before it were written to the pod. The client's messages are one byte stream, so a pod that does
 * not read holds back the other connections of the same {@code kubectl port-forward} too (SPDY flow
 * control windows, which client-go's SPDY library neither sends nor honours, are not used).
 */
final class PortForwardSession {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(PortForwardSession.class);

  /** The WebSocket subprotocol kubectl 1.31+ offers for port-forward. */
  static final String PROTOCOL = "SPDY/3.1+portforward.k8s.io";

  /** At most this many bytes per data frame: well under a WebSocket message's usual 64 KiB. */
  private static final int MAX_CHUNK = 32 * 1024;

  private final WebSocketSession session;
  private final IntFunction<Mono<InetSocketAddress>> target;
  private final String pod;
  private final EmbeddedChannel decoder =
      new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
  private final EmbeddedChannel encoder =
      new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
  private final Sinks.Many<Flux<SpdyFrame>> out = Sinks.many().unicast().onBackpressureBuffer();
  private final Map<String, Pair> pairs = new ConcurrentHashMap<>();
  private final Map<Integer, Pair> byStream = new ConcurrentHashMap<>();

  private PortForwardSession(
      WebSocketSession session, IntFunction<Mono<InetSocketAddress>> target, String pod) {
    this.session = session;
    this.target = target;
    this.pod = pod;
  }

  /**
   * @param target the address to connect to for a port of the pod
   * @param pod the pod's name, for error messages
   */
  static Mono<Void> run(
      WebSocketSession session, IntFunction<Mono<InetSocketAddress>> target, String pod) {
    return new PortForwardSession(session, target, pod).run();
  }

  private Mono<Void> run() {
    // receive() is never cancelled (Reactor Netty would close without a status): the session
    // ends when the client closes, and then every forwarded connection is closed.
    Mono<Void> in =
        session
            .receive()
            // Copied at once: a message's buffer is released when this returns, queued or not.
            .map(m -> bytes(m.getPayload()))
            .concatMap(b -> frames(b).concatMap(this::onFrame, 1), 1)
            .onErrorResume(
                e -> {
                  log.warn("port-forward to pod {}: {}", pod, e.toString());
                  return Mono.empty();
                })
            .then()
            .doFinally(
                s -> {
                  pairs.values().forEach(Pair::close);
                  emitComplete();
                });
    Mono<Void> send =
        session
            .send(
                out.asFlux()
                    .flatMap(f -> f, Integer.MAX_VALUE, 1)
                    // Encoded in the order sent: the header blocks share one compression state.
                    .map(this::encode)
                    .map(b -> session.binaryMessage(f -> f.wrap(b))))
            .onErrorResume(
                e -> {
                  log.debug("port-forward to pod {}: sending failed: {}", pod, e.toString());
                  return Mono.empty();
                })
            .then(Mono.defer(() -> session.close(CloseStatus.NORMAL)));
    return Mono.when(in, send)
        .doFinally(
            s -> {
              pairs.values().forEach(Pair::close);
              decoder.finishAndReleaseAll();
              encoder.finishAndReleaseAll();
            });
  }

  /** The SPDY frames a message completes (a frame may span messages). */
  private Flux<SpdyFrame> frames(byte[] message) {
    List<SpdyFrame> frames = new ArrayList<>();
    try {
      decoder.writeInbound(Unpooled.wrappedBuffer(message));
    } catch (RuntimeException e) {
      return Flux.error(e);
    }
    for (Object o = decoder.readInbound(); o != null; o = decoder.readInbound()) {
      frames.add((SpdyFrame) o);
    }
    return Flux.fromIterable(frames);
  }

  private Mono<Void> onFrame(SpdyFrame frame) {
    try {
      if (frame instanceof SpdySynStreamFrame syn) {
        opened(syn);
      } else if (frame instanceof SpdyDataFrame data) {
        byte[] bytes = new byte[data.content().readableBytes()];
        data.content().readBytes(bytes);
        Pair pair = byStream.get(data.streamId());
        if (pair != null && data.streamId() == pair.dataStream) {
          return pair.write(bytes, data.isLast());
        }
      } else if (frame instanceof SpdyRstStreamFrame rst) {
        Pair pair = byStream.get(rst.streamId());
        if (pair != null) {
          pair.close();
        }
      } else if (frame instanceof SpdyPingFrame ping) {
        emit(Flux.just(new DefaultSpdyPingFrame(ping.id())));
      }
      // SETTINGS, WINDOW_UPDATE, HEADERS and GOAWAY need nothing: the client closes the socket.
      return Mono.empty();
    } finally {
      ReferenceCountUtil.release(frame);
    }
  }

  /** A stream the client opened: replied to at once, paired with its other half by request. */
  private void opened(SpdySynStreamFrame syn) {
    int id = syn.streamId();
    String type = header(syn, "streamType");
    String port = header(syn, "port");
    // Clients before requestID named no pair: the kubelet then pairs error stream n with n+2.
    String request = header(syn, "requestID");
    if (request == null) {
      request = Integer.toString("error".equals(type) ? id : id - 2);
    }
    if (!"error".equals(type) && !"data".equals(type)) {
      emit(Flux.just(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.PROTOCOL_ERROR)));
      return;
    }
    // The stream's headers echoed: Netty encodes no header block for none, which client-go's
    // framer cannot read (it always inflates one); the reply's headers are not used.
    DefaultSpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(id, false);
    reply.headers().set("streamtype", type);
    if (port != null) {
      reply.headers().set("port", port);
    }
    emit(Flux.just(reply));
    Pair pair = pairs.computeIfAbsent(request, Pair::new);
    byStream.put(id, pair);
    if (type.equals("error")) {
      pair.errorStream = id;
    } else {
      pair.dataStream = id;
      pair.port = port;
    }
    if (pair.errorStream != 0 && pair.dataStream != 0) {
      pair.start();
    }
  }

  private static String header(SpdySynStreamFrame syn, String name) {
    String v = syn.headers().getAsString(name);
    return v != null ? v : syn.headers().getAsString(name.toLowerCase());
  }

  private synchronized void emit(Flux<SpdyFrame> frames) {
    out.tryEmitNext(frames);
  }

  private synchronized void emitComplete() {
    out.tryEmitComplete();
  }

  private byte[] encode(SpdyFrame frame) {
    encoder.writeOutbound(frame);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (Object o = encoder.readOutbound(); o != null; o = encoder.readOutbound()) {
      ByteBuf buf = (ByteBuf) o;
      try {
        byte[] b = new byte[buf.readableBytes()];
        buf.readBytes(b);
        bytes.writeBytes(b);
      } finally {
        buf.release();
      }
    }
    return bytes.toByteArray();
  }

  private static SpdyFrame fin(int stream) {
    DefaultSpdyDataFrame frame = new DefaultSpdyDataFrame(stream);
    frame.setLast(true);
    return frame;
  }

  private static byte[] bytes(DataBuffer buffer) {
    byte[] b = new byte[buffer.readableByteCount()];
    buffer.read(b);
    return b;
  }

  /** One forwarded connection: its two streams and its connection to the pod's port. */
  private final class Pair {

    final String request;

    volatile int errorStream;
    volatile int dataStream;
    volatile String port;
    private final Sinks.One<Connection> connection = Sinks.one();
    private volatile boolean closed;

    Pair(String request) {
      this.request = request;
    }

    void start() {
      int number;
      try {
        number = Integer.parseInt(port);
        if (number <= 0 || number > 65535) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        fail("invalid port \"" + port + "\"");
        return;
      }
      target
          .apply(number)
          .flatMap(
              address ->
                  TcpClient.create()
                      .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                      .remoteAddress(() -> address)
                      .connect())
          .subscribe(
              c -> {
                if (closed) {
                  c.dispose();
                  return;
                }
                connection.tryEmitValue(c);
                emit(fromPod(c));
              },
              e ->
                  fail(
                      "error forwarding port "
                          + number
                          + " to pod "
                          + pod
                          + ": "
                          + (e.getMessage() == null ? e.toString() : e.getMessage())));
    }

    /** The pod's bytes on the data stream, then both streams finished; the connection closed. */
    private Flux<SpdyFrame> fromPod(Connection c) {
      return c.inbound()
          .receive()
          .asByteArray()
          .concatMapIterable(PortForwardSession::chunks, 1)
          .map(b -> (SpdyFrame) new DefaultSpdyDataFrame(dataStream, Unpooled.wrappedBuffer(b)))
          .onErrorResume(e -> Mono.empty())
          .concatWith(Flux.defer(() -> Flux.just(fin(dataStream), fin(errorStream))))
          .doFinally(s -> close());
    }

    /** The error on the error stream, both streams finished (the kubelet's way to refuse). */
    private void fail(String message) {
      connection.tryEmitError(new IllegalStateException(message));
      DefaultSpdyDataFrame error =
          new DefaultSpdyDataFrame(
              errorStream, Unpooled.wrappedBuffer(message.getBytes(StandardCharsets.UTF_8)));
      emit(Flux.just(error, fin(errorStream), fin(dataStream)));
    }

    /** Written once the pod's connection took it; its end half-closes that connection. */
    Mono<Void> write(byte[] bytes, boolean last) {
      return connection
          .asMono()
          .flatMap(
              c -> {
                Mono<Void> sent =
                    bytes.length == 0
                        ? Mono.empty()
                        : c.outbound().sendByteArray(Mono.just(bytes)).then();
                return last
                    ? sent.then(
                        Mono.defer(
                            () ->
                                c.channel() instanceof DuplexChannel d
                                    ? Mono.<Void>create(
                                        s -> d.shutdownOutput().addListener(f -> s.success()))
                                    : Mono.empty()))
                    : sent;
              })
          .onErrorResume(e -> Mono.empty());
    }

    /** Closes the pod's connection; the pair is forgotten (its streams are done). */
    void close() {
      closed = true;
      pairs.remove(request, this);
      byStream.remove(errorStream, this);
      byStream.remove(dataStream, this);
      connection.tryEmitError(new IllegalStateException("closed"));
      connection.asMono().subscribe(Connection::dispose, e -> {});
    }
  }

  /** A pod's read split into frames a WebSocket message takes. */
  private static List<byte[]> chunks(byte[] bytes) {
    if (bytes.length <= MAX_CHUNK) {
      return List.of(bytes);
    }
    List<byte[]> chunks = new ArrayList<>();
    for (int i = 0; i < bytes.length; i += MAX_CHUNK) {
      chunks.add(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + MAX_CHUNK)));
    }
    return chunks;
  }
}
