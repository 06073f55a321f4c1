package io.nauta.dns.server;

import io.nauta.dns.records.ClusterRecords;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The DNS server: one UDP socket and one TCP listener on the same address and port, Netty's DNS
 * codec on both. UDP answers larger than the client takes are truncated; TCP connections carry any
 * number of queries and close after 10 s without one (RFC 7766's idle timeout, as CoreDNS's).
 */
public final class DnsServer implements AutoCloseable {

  private static final Log log = LogFactory.getLog(DnsServer.class);

  private static final int MAX_TCP_MESSAGE = 65535;

  private final EventLoopGroup group;
  private final Responder responder;
  private final List<Channel> udp = new ArrayList<>();
  private Channel tcp;

  public DnsServer(
      ClusterRecords records,
      List<InetSocketAddress> upstreams,
      Duration forwardTimeout,
      DnsMetrics metrics,
      int threads) {
    this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    this.responder =
        new Responder(records, new Forwarder(group, upstreams, forwardTimeout, metrics), metrics);
  }

  /**
   * Binds UDP, then TCP on the port UDP got (so port 0 picks one free port for both). On the
   * wildcard address UDP is bound once per local IPv4 address instead: a UDP socket on the wildcard
   * answers from whatever address the route back chooses, and a pod's query that the service proxy
   * DNATed to this host's address must be answered from that very address, or conntrack cannot undo
   * the translation and the pod drops the answer. (TCP replies always come from the connection's
   * address.) Addresses that appear later are not served over UDP.
   */
  public synchronized DnsServer start(String address, int port) {
    // With port 0 the number UDP got may already be held by someone else's TCP socket: pick
    // another pair rather than fail (a fixed port's BindException is the caller's to see).
    int attempts = port == 0 ? 20 : 1;
    for (int i = 1; ; i++) {
      try {
        bind(address, port);
        return this;
      } catch (Exception e) { // Netty rethrows the checked BindException undeclared
        // Nothing half-bound stays behind: UDP sockets without their TCP twin are let go.
        udp.forEach(ch -> ch.close().syncUninterruptibly());
        udp.clear();
        if (i >= attempts || !isBindException(e)) {
          throw e;
        }
      }
    }
  }

  private static boolean isBindException(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException) {
        return true;
      }
    }
    return false;
  }

  private void bind(String address, int port) {
    Bootstrap udpBootstrap =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(new DatagramDnsQueryDecoder())
                        .addLast(new DatagramDnsResponseEncoder())
                        .addLast(new UdpQueries());
                  }
                });
    int bound = port;
    for (String a : udpAddresses(address)) {
      Channel ch = udpBootstrap.bind(a, bound).syncUninterruptibly().channel();
      udp.add(ch);
      bound = ((InetSocketAddress) ch.localAddress()).getPort();
    }
    tcp =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new IdleStateHandler(0, 0, 10, TimeUnit.SECONDS))
                        .addLast(new TcpDnsQueryDecoder())
                        .addLast(new TcpDnsResponseEncoder())
                        .addLast(new TcpQueries());
                  }
                })
            .bind(address, bound)
            .syncUninterruptibly()
            .channel();
  }

  /** {@code address}, or for the wildcard every IPv4 address of an interface that is up. */
  static List<String> udpAddresses(String address) {
    if (!address.equals("0.0.0.0")) {
      return List.of(address);
    }
    List<String> out = new ArrayList<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp()) {
          continue;
        }
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (a instanceof Inet4Address && !out.contains(a.getHostAddress())) {
            out.add(a.getHostAddress());
          }
        }
      }
    } catch (SocketException e) {
      return List.of(address);
    }
    return out.isEmpty() ? List.of(address) : out;
  }

  public int port() {
    return ((InetSocketAddress) udp.get(0).localAddress()).getPort();
  }

  @Override
  public synchronized void close() {
    udp.forEach(ch -> ch.close().syncUninterruptibly());
    if (tcp != null) {
      tcp.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static String family(SocketAddress a) {
    return a instanceof InetSocketAddress i && i.getAddress() instanceof Inet6Address ? "2" : "1";
  }

  private final class UdpQueries extends SimpleChannelInboundHandler<DatagramDnsQuery> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
      InetSocketAddress client = query.sender();
      InetSocketAddress local = query.recipient();
      Request req = Request.of(query, true);
      if (req == null || query.opCode() != DnsOpCode.QUERY) {
        ctx.writeAndFlush(
            new DatagramDnsResponse(
                local,
                client,
                query.id(),
                query.opCode(),
                req == null ? DnsResponseCode.FORMERR : DnsResponseCode.NOTIMP));
        return;
      }
      responder
          .reply(req, family(client))
          .thenAccept(
              reply -> {
                if (reply.forwarded() != null) {
                  // Past the response encoder: it would take the packet for an envelope of its own.
                  ctx.pipeline()
                      .firstContext()
                      .writeAndFlush(
                          new DatagramPacket(Unpooled.wrappedBuffer(reply.forwarded()), client));
                } else {
                  DatagramDnsResponse response = new DatagramDnsResponse(local, client, req.id());
                  Responder.fill(response, req, reply.local(), req.udpLimit());
                  ctx.writeAndFlush(response);
                }
              });
    }

    /** A datagram that does not decode is dropped; the socket serves on. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("dropped a malformed query: " + cause);
    }
  }

  private final class TcpQueries extends SimpleChannelInboundHandler<DnsQuery> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DnsQuery query) {
      Request req = Request.of(query, false);
      if (req == null || query.opCode() != DnsOpCode.QUERY) {
        ctx.writeAndFlush(
            new DefaultDnsResponse(
                query.id(),
                query.opCode(),
                req == null ? DnsResponseCode.FORMERR : DnsResponseCode.NOTIMP));
        return;
      }
      responder
          .reply(req, family(ctx.channel().remoteAddress()))
          .thenAccept(
              reply -> {
                if (reply.forwarded() != null) {
                  ByteBuf framed = Unpooled.buffer(reply.forwarded().length + 2);
                  framed.writeShort(reply.forwarded().length).writeBytes(reply.forwarded());
                  ctx.pipeline().firstContext().writeAndFlush(framed);
                } else {
                  DefaultDnsResponse response = new DefaultDnsResponse(req.id());
                  Responder.fill(response, req, reply.local(), MAX_TCP_MESSAGE);
                  ctx.writeAndFlush(response);
                }
              });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof IdleStateEvent) {
        ctx.close();
      } else {
        ctx.fireUserEventTriggered(evt);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
