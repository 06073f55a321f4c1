package io.nauta.api.logs;

import io.nauta.api.config.NautaProperties;
import io.nauta.core.auth.BearerToken;
import io.nauta.core.errors.ApiException;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.errors.InternalErrorException;
import io.nauta.core.errors.NotFoundException;
import io.netty.channel.ChannelOption;
import java.net.URI;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads a container's logs from its node agent over Reactor Netty, streamed: the body is handed on
 * chunk by chunk as the agent sends it, and cancelling it (the client went away) closes the
 * connection to the agent. The agent's plain-text errors become Status errors as Kubernetes' {@code
 * GenericHttpResponseChecker} makes them.
 */
@Component
public class AgentLogClient {

  private static final Log log = LogFactory.getLog(AgentLogClient.class);

  /** At most this much of an agent's error body is read (Kubernetes: 4 KiB). */
  private static final int MAX_ERROR_BYTES = 4 * 1024;

  private final WebClient client;
  private final BearerToken token;

  public AgentLogClient(NautaProperties props, ReactorResourceFactory resources) {
    NautaProperties.Kubelet kubelet = props.kubelet();
    this.token = BearerToken.of(kubelet.token(), kubelet.tokenFile());
    if (token == null) {
      log.warn(
          "no nauta.kubelet.token or token-file: node agents will refuse pods/log requests"
              + " (kubectl logs) with 401");
    }
    this.client =
        WebClient.builder()
            .clientConnector(
                new ReactorClientHttpConnector(
                    resources,
                    http ->
                        http.option(
                            ChannelOption.CONNECT_TIMEOUT_MILLIS,
                            (int) kubelet.connectTimeout().toMillis())))
            .build();
  }

  /**
   * The log stream at {@code uri}; fails before any byte with the agent's refusal as a Status
   * error.
   *
   * @param node the node's name, for messages
   */
  Mono<Flux<DataBuffer>> read(URI uri, String node) {
    WebClient.RequestHeadersSpec<?> request = client.get().uri(uri).accept(MediaType.ALL);
    if (token != null) {
      request = request.header(HttpHeaders.AUTHORIZATION, token.header());
    }
    return request
        .retrieve()
        .onStatus(
            s -> !s.is2xxSuccessful(),
            response ->
                response
                    .bodyToMono(String.class)
                    .defaultIfEmpty("")
                    .map(
                        body ->
                            refusal(
                                response.statusCode().value(),
                                body.length() > MAX_ERROR_BYTES
                                    ? body.substring(0, MAX_ERROR_BYTES)
                                    : body,
                                node)))
        .toEntityFlux(DataBuffer.class)
        .map(ResponseEntity::getBody)
        .onErrorMap(
            WebClientRequestException.class,
            e ->
                new InternalErrorException(
                    "Get \"" + uri + "\": " + e.getMostSpecificCause().getMessage()));
  }

  private static ApiException refusal(int code, String body, String node) {
    return switch (code) {
      case 400, 422 -> new BadRequestException(body);
      case 404 -> new NotFoundException(body);
      case 401, 403 ->
          new InternalErrorException(
              "the node agent of node "
                  + node
                  + " refused the API server's credentials ("
                  + code
                  + "): nauta.kubelet.token must be the agent's nauta.agent.authentication.token");
      default -> new InternalErrorException(body.isEmpty() ? "node agent answered " + code : body);
    };
  }
}
