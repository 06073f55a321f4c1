package io.nauta.dns.it;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.DefaultDnsQuery;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsPtrRecord;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryEncoder;
import io.netty.handler.codec.dns.TcpDnsResponseDecoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A DNS client on Netty's codec (its encoder and decoder, as a stub resolver would send and read
 * them): one query over UDP or TCP, the answer as text ({@code A 10.96.0.20}, {@code SRV 0 100 80
 * web.ns.svc.cluster.local.}, {@code PTR web.ns.svc.cluster.local.}).
 */
final class DnsClient implements AutoCloseable {

  /** What came back: the response code's number, the TC flag, and the answer records as text. */
  record Reply(int rcode, boolean truncated, List<String> answers, int authority) {}

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final InetSocketAddress server;

  DnsClient(InetSocketAddress server) {
    this.server = server;
  }

  Reply udp(String name, DnsRecordType type) {
    return query(name, type, true);
  }

  Reply tcp(String name, DnsRecordType type) {
    return query(name, type, false);
  }

  private Reply query(String name, DnsRecordType type, boolean udp) {
    int id = ThreadLocalRandom.current().nextInt(1, 65536);
    CompletableFuture<Reply> result = new CompletableFuture<>();
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channel(udp ? NioDatagramChannel.class : NioSocketChannel.class)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    if (udp) {
                      ch.pipeline()
                          .addLast(new DatagramDnsQueryEncoder())
                          .addLast(new DatagramDnsResponseDecoder());
                    } else {
                      ch.pipeline()
                          .addLast(new TcpDnsQueryEncoder())
                          .addLast(new TcpDnsResponseDecoder());
                    }
                    ch.pipeline()
                        .addLast(
                            new SimpleChannelInboundHandler<DnsResponse>() {
                              @Override
                              protected void channelRead0(
                                  ChannelHandlerContext ctx, DnsResponse r) {
                                if (r.id() == id) {
                                  result.complete(read(r));
                                }
                              }
                            });
                  }
                });
    Channel ch = (udp ? b.bind(0) : b.connect(server)).syncUninterruptibly().channel();
    try {
      DnsQuery q = udp ? new DatagramDnsQuery(null, server, id) : new DefaultDnsQuery(id);
      q.setRecursionDesired(true);
      q.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(name, type));
      ch.writeAndFlush(q).syncUninterruptibly();
      return result.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(
          "no answer to " + name + " " + type + " over " + (udp ? "udp" : "tcp"), e);
    } finally {
      ch.close().syncUninterruptibly();
    }
  }

  private static Reply read(DnsResponse r) {
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < r.count(DnsSection.ANSWER); i++) {
      answers.add(text(r.recordAt(DnsSection.ANSWER, i)));
    }
    return new Reply(r.code().intValue(), r.isTruncated(), answers, r.count(DnsSection.AUTHORITY));
  }

  private static String text(DnsRecord rec) {
    if (rec instanceof DnsPtrRecord ptr) {
      return "PTR " + ptr.hostname();
    }
    ByteBuf c = ((DnsRawRecord) rec).content().duplicate();
    if (rec.type() == DnsRecordType.A) {
      byte[] ip = new byte[4];
      c.readBytes(ip);
      try {
        return "A " + InetAddress.getByAddress(ip).getHostAddress();
      } catch (UnknownHostException e) {
        throw new AssertionError(e);
      }
    }
    if (rec.type() == DnsRecordType.SRV) {
      int priority = c.readUnsignedShort();
      int weight = c.readUnsignedShort();
      int port = c.readUnsignedShort();
      return "SRV "
          + priority
          + " "
          + weight
          + " "
          + port
          + " "
          + DefaultDnsRecordDecoder.decodeName(c);
    }
    return rec.type().name();
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
