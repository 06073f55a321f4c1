package io.nauta.core.http;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseCookie;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * A functional endpoint's answer that is a WebSocket handshake, then the session {@code handler}
 * runs: lets a {@code RouterFunction} handler upgrade after checks of its own (exec and attach on
 * the API server and the node agent).
 */
public record UpgradeResponse(WebSocketService service, WebSocketHandler handler)
    implements ServerResponse {

  @Override
  public HttpStatusCode statusCode() {
    return HttpStatus.SWITCHING_PROTOCOLS;
  }

  @Override
  public HttpHeaders headers() {
    return new HttpHeaders();
  }

  @Override
  public MultiValueMap<String, ResponseCookie> cookies() {
    return new LinkedMultiValueMap<>();
  }

  @Override
  public Mono<Void> writeTo(ServerWebExchange exchange, Context context) {
    return service.handleRequest(exchange, handler);
  }
}
