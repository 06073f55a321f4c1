package io.nauta.core.client;

import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import reactor.netty.http.client.HttpClient;

/**
 * The connections one {@link KubeClient} opened (client-go's {@code connrotation} dialer): each is
 * added when it connects and leaves when it closes, so that the client can close them all at once.
 */
final class ClientConnections {

  private final ChannelGroup open =
      new DefaultChannelGroup("kube-client-connections", GlobalEventExecutor.INSTANCE);

  /** {@code http} with every connection it opens tracked here. */
  HttpClient track(HttpClient http) {
    return http.doOnConnected(connection -> open.add(connection.channel()));
  }

  /** Closes every open connection; returns how many there were. */
  int closeAll() {
    int n = open.size();
    open.close();
    return n;
  }
}
