package io.nauta.api.logs;

import io.nauta.api.config.NautaProperties;
import io.nauta.core.auth.BearerToken;
import io.nauta.core.errors.ApiException;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.errors.InternalErrorException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.pki.ClusterPki;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.URI;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
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
import reactor.netty.http.client.HttpClient;

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
  private final HttpClient http;
  private final BearerToken token;
  private final boolean secure;

  /**
   * @param pki the cluster PKI when security is on: agents are then reached over HTTPS with the API
   *     server's {@code kube-apiserver-kubelet-client} certificate (see {@link AgentTls}) and
   *     authorize it as the kubelet does; without it, over HTTP with the shared {@code
   *     nauta.kubelet.token}
   */
  public AgentLogClient(
      NautaProperties props, ReactorResourceFactory resources, ObjectProvider<ClusterPki> pki) {
    NautaProperties.Kubelet kubelet = props.kubelet();
    ClusterPki clusterPki = pki.getIfAvailable();
    this.secure = clusterPki != null;
    this.token = secure ? null : BearerToken.of(kubelet.token(), kubelet.tokenFile());
    if (!secure && token == null) {
      log.warn(
          "no nauta.kubelet.token or token-file: node agents will refuse pods/log requests"
              + " (kubectl logs) with 401");
    }
    SslContext tls = secure ? AgentTls.sslContext(clusterPki) : null;
    this.http =
        configure(
            HttpClient.create(resources.getConnectionProvider())
                .runOn(resources.getLoopResources()),
            kubelet,
            tls);
    this.client =
        WebClient.builder()
            .clientConnector(
                new ReactorClientHttpConnector(
                    resources, configured -> configure(configured, kubelet, tls)))
            .build();
  }

  private static HttpClient configure(
      HttpClient http, NautaProperties.Kubelet kubelet, SslContext tls) {
    HttpClient configured =
        http.option(
            ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) kubelet.connectTimeout().toMillis());
    return tls == null
        ? configured
        : configured.secure(
            spec ->
                spec.sslContext(tls)
                    // AgentTls checks the address itself (loopback aliases).
                    .handlerConfigurator(AgentLogClient::noHostnameCheck));
  }

  /**
   * A Reactor Netty client that reaches agents as this one does (TLS with the API server's client
   * certificate, connect timeout), for streams that are no HTTP body (WebSocket exec and attach);
   * send {@link #authorization()} with it.
   */
  public HttpClient httpClient() {
    return http;
  }

  /** The {@code Authorization} header agents need without TLS; null with it. */
  public String authorization() {
    return token == null ? null : token.header();
  }

  /** {@code https} when security is on, else {@code http}. */
  public String scheme() {
    return secure ? "https" : "http";
  }

  private static void noHostnameCheck(SslHandler handler) {
    SSLEngine engine = handler.engine();
    SSLParameters params = engine.getSSLParameters();
    params.setEndpointIdentificationAlgorithm(null);
    engine.setSSLParameters(params);
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

  /**
   * A whole (small) answer of the agent at {@code uri}, e.g. its {@code /stats/summary}, with the
   * same credentials and TLS as the logs; a refusal fails as {@link #read} fails.
   */
  public Mono<byte[]> fetch(URI uri, String node) {
    return read(uri, node)
        .flatMap(
            body ->
                org.springframework.core.io.buffer.DataBufferUtils.join(body)
                    .map(
                        joined -> {
                          byte[] bytes = new byte[joined.readableByteCount()];
                          joined.read(bytes);
                          org.springframework.core.io.buffer.DataBufferUtils.release(joined);
                          return bytes;
                        })
                    .defaultIfEmpty(new byte[0]));
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
                  + "): "
                  + body);
      default -> new InternalErrorException(body.isEmpty() ? "node agent answered " + code : body);
    };
  }
}
