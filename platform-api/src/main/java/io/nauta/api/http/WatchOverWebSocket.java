package io.nauta.api.http;

import io.nauta.core.errors.ApiException;
import io.nauta.core.registry.ResourceType;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.handler.AbstractHandlerMapping;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Watches over WebSocket, one event per text frame, as the Kubernetes API server serves them: the
 * fabric8 client (and so Java informers) asks for a WebSocket first. Only watch requests that ask
 * for the upgrade land here, and only once their options parse; everything else, including a watch
 * with bad options, goes on to the HTTP routes and gets its Status there.
 */
@Component
public class WatchOverWebSocket extends AbstractHandlerMapping {

  private final ApiHandler api;

  public WatchOverWebSocket(ApiHandler api) {
    this.api = api;
    // Before the router functions, which would serve the request as a plain HTTP watch.
    setOrder(Ordered.HIGHEST_PRECEDENCE);
  }

  @Override
  protected Mono<?> getHandlerInternal(ServerWebExchange exchange) {
    if (!"websocket"
        .equalsIgnoreCase(exchange.getRequest().getHeaders().getFirst(HttpHeaders.UPGRADE))) {
      return Mono.empty();
    }
    try {
      RequestInfo info = RequestInfo.parse(exchange.getRequest().getPath().value());
      var query = exchange.getRequest().getQueryParams();
      ResourceType type = api.watchedType(info, query);
      if (type == null) {
        return Mono.empty();
      }
      Flux<String> lines =
          api.watchLines(
              query, type, info, TableResponses.requested(exchange.getRequest().getHeaders()));
      // The server ends the watch (timeout, a watcher too slow to keep up, a cache reset) by
      // closing the socket, as the Kubernetes API server does; waiting for the client to close
      // would leave it waiting forever for events that never come. The client closing first
      // cancels the watch.
      WebSocketHandler handler =
          session ->
              Mono.firstWithSignal(
                  session
                      .send(lines.map(session::textMessage))
                      .then(Mono.defer(() -> session.close(CloseStatus.NORMAL))),
                  session.receive().then());
      return Mono.just(handler);
    } catch (ApiException e) {
      return Mono.empty();
    }
  }
}
