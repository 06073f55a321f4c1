package io.nauta.api.streaming;

import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Relays a client's WebSocket and a node agent's, message for message, as Kubernetes' {@code
 * UpgradeAwareHandler} relays the kubelet's stream. Demand-driven: a message is read from one side
 * only once the other side's connection can take it (Reactor Netty stops reading a connection
 * without demand and requests more for a send only while its channel is writable), so a slow reader
 * holds the writer back through TCP rather than filling this server's memory. Either side closing
 * closes the other.
 */
final class StreamRelay implements WebSocketHandler {

  private final WebSocketSession agent;
  private final Runnable done;

  StreamRelay(WebSocketSession agent, Runnable done) {
    this.agent = agent;
    this.done = done;
  }

  /** The client gets the protocol the agent chose. */
  @Override
  public List<String> getSubProtocols() {
    String chosen = agent.getHandshakeInfo().getSubProtocol();
    return chosen == null ? List.of() : List.of(chosen);
  }

  @Override
  public Mono<Void> handle(WebSocketSession client) {
    // The client's messages are read on a subscription of their own that the agent's side ending
    // does not cancel: a cancelled receive() makes Reactor Netty close the client's connection
    // without a status (1005), which kubectl reports as an error; the client is closed normally
    // once the agent's last message is relayed. One message is read ahead at most.
    Flux<WebSocketMessage> fromClient = relayed(client.receive(), agent).publish(1).autoConnect();
    Mono<Void> up =
        agent
            .send(fromClient)
            .onErrorResume(e -> Mono.empty())
            .then(Mono.defer(() -> agent.close(CloseStatus.NORMAL)));
    Mono<Void> down =
        client
            .send(relayed(agent.receive(), client))
            .onErrorResume(e -> Mono.empty())
            .then(Mono.defer(() -> client.close(CloseStatus.NORMAL)));
    return Mono.when(up, down).doFinally(s -> done.run());
  }

  /** Data messages copied for the other connection (each buffer is released once read). */
  private static Flux<WebSocketMessage> relayed(Flux<WebSocketMessage> in, WebSocketSession to) {
    return in.filter(
            m ->
                m.getType() == WebSocketMessage.Type.BINARY
                    || m.getType() == WebSocketMessage.Type.TEXT)
        .map(
            m -> {
              byte[] bytes = bytes(m.getPayload());
              return m.getType() == WebSocketMessage.Type.BINARY
                  ? to.binaryMessage(f -> f.wrap(bytes))
                  : to.textMessage(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            });
  }

  private static byte[] bytes(DataBuffer buffer) {
    byte[] b = new byte[buffer.readableByteCount()];
    buffer.read(b);
    return b;
  }
}
