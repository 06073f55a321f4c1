package io.nauta.dns.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.dns.AbstractDnsOptPseudoRrRecord;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuery;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryEncoder;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Forwards a question outside the cluster zone to the node's resolvers (those of {@code
 * /etc/resolv.conf}, and only those), one after the other until one answers, over the transport the
 * client used: UDP with the client's EDNS0 size (a truncated answer goes back as it is, and the
 * client asks again over TCP), TCP for TCP. The query is Netty's encoding of the client's question
 * under a fresh ID; the upstream's answer is relayed byte for byte but for the ID, so nothing of it
 * is lost in a decode and re-encode (names compressed inside SOA or MX data among others).
 */
final class Forwarder {

  private final EventLoopGroup group;
  private final List<InetSocketAddress> upstreams;
  private final Duration timeout;
  private final DnsMetrics metrics;

  Forwarder(
      EventLoopGroup group,
      List<InetSocketAddress> upstreams,
      Duration timeout,
      DnsMetrics metrics) {
    this.group = group;
    this.upstreams = List.copyOf(upstreams);
    this.timeout = timeout;
    this.metrics = metrics;
  }

  /** The upstream's answer to {@code req}, with the client's ID, or a failed future. */
  CompletableFuture<byte[]> forward(Request req) {
    if (upstreams.isEmpty()) {
      return CompletableFuture.failedFuture(new IllegalStateException("no upstream resolvers"));
    }
    return attempt(req, 0);
  }

  private CompletableFuture<byte[]> attempt(Request req, int i) {
    InetSocketAddress to = upstreams.get(i);
    String toName = to.getAddress().getHostAddress() + ":" + to.getPort();
    metrics.forwarded(toName);
    CompletableFuture<byte[]> one = req.udp() ? overUdp(req, to) : overTcp(req, to);
    return one.thenApply(
            answer -> {
              metrics.forwardAnswered(toName, rcodeName(answer));
              answer[0] = (byte) (req.id() >> 8);
              answer[1] = (byte) req.id();
              return answer;
            })
        .exceptionallyCompose(
            e ->
                i + 1 < upstreams.size() ? attempt(req, i + 1) : CompletableFuture.failedFuture(e));
  }

  private CompletableFuture<byte[]> overUdp(Request req, InetSocketAddress to) {
    int id = ThreadLocalRandom.current().nextInt(1, 65536);
    DatagramDnsQuery q = new DatagramDnsQuery(null, to, id);
    fill(q, req);
    return exchange(
        NioDatagramChannel.class,
        DatagramPacket.class,
        p -> p.sender().equals(to) ? p.content() : null,
        pipeline -> pipeline.addLast(new DatagramDnsQueryEncoder()),
        b -> b.bind(0),
        q,
        id);
  }

  private CompletableFuture<byte[]> overTcp(Request req, InetSocketAddress to) {
    int id = ThreadLocalRandom.current().nextInt(1, 65536);
    DefaultDnsQuery q = new DefaultDnsQuery(id);
    fill(q, req);
    return exchange(
        NioSocketChannel.class,
        ByteBuf.class,
        frame -> frame,
        pipeline ->
            pipeline
                .addLast(new TcpDnsQueryEncoder())
                .addLast(new LengthFieldBasedFrameDecoder(65535, 0, 2, 0, 2)),
        b -> b.connect(to),
        q,
        id);
  }

  /**
   * Opens a channel of {@code type} with {@code codec}, sends {@code query} and completes with the
   * first message whose bytes ({@code content}) carry the query's {@code id}; closes the channel.
   */
  private <M> CompletableFuture<byte[]> exchange(
      Class<? extends Channel> type,
      Class<M> inbound,
      Function<M, ByteBuf> content,
      Consumer<ChannelPipeline> codec,
      Function<Bootstrap, ChannelFuture> open,
      DnsQuery query,
      int id) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channel(type)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    codec.accept(ch.pipeline());
                    ch.pipeline()
                        .addLast(
                            new SimpleChannelInboundHandler<M>(inbound) {
                              @Override
                              protected void channelRead0(ChannelHandlerContext ctx, M msg) {
                                ByteBuf buf = content.apply(msg);
                                byte[] bytes =
                                    buf == null ? new byte[0] : ByteBufUtil.getBytes(buf);
                                if (idOf(bytes) == id) {
                                  result.complete(bytes);
                                }
                              }
                            });
                  }
                });
    open.apply(b)
        .addListener(
            (ChannelFuture f) -> {
              if (!f.isSuccess()) {
                ReferenceCountUtil.release(query);
                result.completeExceptionally(f.cause());
                return;
              }
              result.whenComplete((r, e) -> f.channel().close());
              f.channel()
                  .writeAndFlush(query)
                  .addListener(
                      w -> {
                        if (!w.isSuccess()) {
                          result.completeExceptionally(w.cause());
                        }
                      });
            });
    return result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static void fill(DnsQuery q, Request req) {
    q.setRecursionDesired(req.recursionDesired());
    q.addRecord(
        DnsSection.QUESTION, new DefaultDnsQuestion(req.name(), DnsRecordType.valueOf(req.type())));
    if (req.edns()) {
      q.addRecord(DnsSection.ADDITIONAL, new AbstractDnsOptPseudoRrRecord(req.udpLimit()) {});
    }
  }

  private static int idOf(byte[] message) {
    return message.length < 12 ? -1 : ((message[0] & 0xff) << 8) | (message[1] & 0xff);
  }

  static int rcodeOf(byte[] message) {
    return message.length < 12 ? 2 : message[3] & 0x0f;
  }

  static String rcodeName(byte[] message) {
    return Responder.rcodeName(rcodeOf(message));
  }
}
