package io.nauta.core.client;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.nauta.core.registry.ResourceType;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * A reactive client of a Kubernetes-compatible API server. Bodies travel as JSON text encoded and
 * decoded by one {@link JsonMapper}, so the fabric8 model round-trips exactly as it does on the
 * server; failed responses become the typed {@code io.nauta.core.errors} exceptions. Connections
 * time out and are kept alive as {@link ClientTransport} says.
 */
public final class KubeClient {

  private static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

  private final Supplier<ClientConfig> config;
  private final ClientConfig fixedConfig;
  private final ClientTransport.OwnResources own;
  private final ClientConnections connections;

  /** A request attribute: the request does not wait for the rate limit ({@link #probePath}). */
  private static final String UNTHROTTLED = KubeClient.class.getName() + ".unthrottled";

  private final WebClient web;
  private final JsonMapper mapper;
  private volatile WriteFence fence = WriteFence.OPEN;
  private volatile String leaseFenceHeader;
  private volatile TokenBucket bucket;
  private volatile String userAgent;

  /**
   * A client of one server, speaking TLS with the CA and client certificate {@code config} names.
   */
  public KubeClient(ClientConfig config) {
    this(config, new ClientConnections());
  }

  private KubeClient(ClientConfig config, ClientConnections connections) {
    this(
        () -> config,
        config,
        null,
        JsonMapper.builder().build(),
        new ReactorClientHttpConnector(connections.track(ClientTransport.httpClient(config))),
        connections);
  }

  /**
   * A client that asks {@code config} for the server, token and TLS settings on every request, so
   * it follows a server that moved (a re-read kubeconfig, a restarted test server on a new port),
   * trusting the CA and presenting the client certificate the supplier names at that moment.
   */
  public KubeClient(Supplier<ClientConfig> config, JsonMapper mapper) {
    this(config, mapper, new ClientConnections());
  }

  private KubeClient(
      Supplier<ClientConfig> config, JsonMapper mapper, ClientConnections connections) {
    this(
        config,
        null,
        null,
        mapper,
        new ConfigFollowingConnector(config, null, connections),
        connections);
  }

  private KubeClient(
      Supplier<ClientConfig> config,
      ClientConfig fixedConfig,
      ClientTransport.OwnResources own,
      JsonMapper mapper,
      ClientHttpConnector connector,
      ClientConnections connections) {
    this.connections = connections;
    this.config = config;
    this.fixedConfig = fixedConfig;
    this.own = own;
    this.mapper = mapper;
    this.web =
        WebClient.builder()
            .clientConnector(connector)
            .codecs(c -> c.defaultCodecs().maxInMemorySize(MAX_BODY_BYTES))
            .defaultHeader("Accept", MediaType.APPLICATION_JSON_VALUE)
            .filter(this::exchangeThrottled)
            .filter(
                (request, next) -> {
                  String agent = userAgent;
                  return next.exchange(
                      agent == null
                          ? request
                          : ClientRequest.from(request)
                              .headers(h -> h.set("User-Agent", agent))
                              .build());
                })
            .filter(
                (request, next) -> {
                  String token = config.get().token();
                  return next.exchange(
                      token == null
                          ? request
                          : ClientRequest.from(request)
                              .headers(h -> h.setBearerAuth(token))
                              .build());
                })
            .filter(this::exchangeFenced)
            .build();
  }

  /**
   * A client of the same server and credentials on a connection pool and event loop of its own
   * (named {@code name}), without this client's rate limit and write fence: leader election's, as
   * kube-controller-manager gives its lease a client of its own, so that renewals neither queue
   * behind a flood of this client's requests for a token or a pooled connection nor wait for an
   * event loop busy with their responses. {@link #close()} frees its connections and loop.
   */
  public KubeClient withOwnConnections(String name) {
    ClientTransport.OwnResources resources = ClientTransport.OwnResources.create(name, 2);
    ClientConnections tracked = new ClientConnections();
    ClientHttpConnector connector =
        fixedConfig != null
            ? new ReactorClientHttpConnector(
                tracked.track(ClientTransport.httpClient(fixedConfig, resources)))
            : new ConfigFollowingConnector(config, resources, tracked);
    return new KubeClient(config, fixedConfig, resources, mapper, connector, tracked);
  }

  /**
   * Closes every connection this client opened, idle or carrying a request or a watch: what the
   * kubelet does when its heartbeats fail ({@code closeAllConns}), because a connection to a server
   * that went away without telling (a network that dropped its state, a peer that lost it) can stay
   * silent for as long as a watch may, long after the server is back. The requests on them fail
   * (watches resume from their resourceVersion); the next ones connect afresh. Returns how many
   * were closed.
   */
  public int closeAllConnections() {
    return connections.closeAll();
  }

  /** Frees the connections and event loop of a client made by {@link #withOwnConnections}. */
  public void close() {
    if (own != null) {
      own.dispose();
    }
  }

  /**
   * From now on every request names its sender {@code agent} in User-Agent, as client-go sends
   * {@code kube-controller-manager/v1.33.0 (linux/amd64) …}: the API server takes the part before
   * the first slash as the field manager of writes that name none, and the audit log records it.
   */
  public void userAgent(String agent) {
    this.userAgent = agent;
  }

  /**
   * From now on every request waits for a token of a bucket of {@code limit} before it is sent, as
   * client-go's rate limiter makes it wait: a watch only for its initial request, never for the
   * events it then streams. {@link ClientRateLimit#UNLIMITED} lifts the limit.
   */
  public void limitRate(ClientRateLimit limit) {
    this.bucket = limit.limited() ? new TokenBucket(limit) : null;
  }

  /**
   * Outermost of the filters: a request that waited for its token is only then put to the write
   * fence, whose answer must not be older than the send.
   */
  private Mono<ClientResponse> exchangeThrottled(ClientRequest request, ExchangeFunction next) {
    TokenBucket b = bucket;
    return b == null || request.attribute(UNTHROTTLED).isPresent()
        ? next.exchange(request)
        : b.take().then(Mono.defer(() -> next.exchange(request)));
  }

  /**
   * From now on every POST, PUT, PATCH and DELETE is put to {@code fence} when it is sent, and
   * again as late as the client allows: when its body is about to be written to an acquired
   * connection.
   */
  public void fenceWrites(WriteFence fence) {
    this.fence = Objects.requireNonNull(fence, "fence");
  }

  /**
   * As {@link #fenceWrites(WriteFence)}, and every write also names {@code lease} in the {@value
   * LeaseFence#HEADER} header, so the API server refuses it too once another process holds that
   * lease: the client's question cannot cover a freeze between its answer and the send.
   */
  public void fenceWrites(WriteFence fence, LeaseFence lease) {
    fenceWrites(fence);
    this.leaseFenceHeader = Objects.requireNonNull(lease, "lease").headerValue();
  }

  /**
   * A write the fence refuses already, before it waits for a connection, fails at once: it never
   * takes a pooled connection, so that connection is not closed by the refusal and reopened (TLS
   * and all) by the next request. Writes it allows now are asked again at the last moment ({@link
   * #fenced}), because the wait for a connection can outlast the lease.
   */
  private Mono<ClientResponse> exchangeFenced(ClientRequest request, ExchangeFunction next) {
    if (!isRead(request.method())) {
      String refusal = fence.refusal(request.method(), request.url());
      if (refusal != null) {
        return Mono.error(new WriteFencedException(request.method(), request.url(), refusal));
      }
      String lease = leaseFenceHeader;
      if (lease != null) {
        request = ClientRequest.from(request).header(LeaseFence.HEADER, lease).build();
      }
    }
    return next.exchange(fenced(request))
        // WebClient wraps what the body writer raised; callers want the refusal.
        .onErrorMap(e -> e.getCause() instanceof WriteFencedException, Throwable::getCause);
  }

  private static boolean isRead(HttpMethod method) {
    return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
  }

  private ClientRequest fenced(ClientRequest request) {
    HttpMethod method = request.method();
    if (isRead(method)) {
      return request;
    }
    BodyInserter<?, ? super ClientHttpRequest> body = request.body();
    return ClientRequest.from(request)
        .body(
            (message, context) -> {
              String refusal = fence.refusal(method, request.url());
              return refusal == null
                  ? body.insert(message, context)
                  : Mono.error(new WriteFencedException(method, request.url(), refusal));
            })
        .build();
  }

  public static KubeClient of(String url) {
    return new KubeClient(ClientConfig.fromUrl(url));
  }

  public ClientConfig config() {
    return config.get();
  }

  public JsonMapper mapper() {
    return mapper;
  }

  /** Typed operations on one resource type, decoding objects into {@code model}. */
  public <T extends HasMetadata> ResourceClient<T> resource(ResourceType type, Class<T> model) {
    return new ResourceClient<>(this, type, model);
  }

  /** Binds a pod to a node through the pod's {@code binding} subresource. */
  public Mono<Void> bind(String namespace, String podName, String nodeName) {
    Map<String, Object> binding =
        Map.of(
            "apiVersion",
            "v1",
            "kind",
            "Binding",
            "metadata",
            Map.of("name", podName, "namespace", namespace),
            "target",
            Map.of("apiVersion", "v1", "kind", "Node", "name", nodeName));
    String path = "/api/v1/namespaces/" + namespace + "/pods/" + podName + "/binding";
    return send(web.post()
            .uri(uri(path, Map.of()))
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(mapper.writeValueAsString(binding)))
        .then();
  }

  /**
   * A token for a service account through its {@code token} subresource (TokenRequest), as the
   * kubelet asks for the tokens it projects into pods.
   */
  public Mono<TokenRequest> requestToken(
      String namespace, String serviceAccount, TokenRequest request) {
    String path =
        "/api/v1/namespaces/" + namespace + "/serviceaccounts/" + serviceAccount + "/token";
    return send(web.post()
            .uri(uri(path, Map.of()))
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(mapper.writeValueAsString(request)))
        .map(body -> mapper.readValue(body, TokenRequest.class));
  }

  /**
   * A GET of a path outside the resource API ({@code /readyz}, {@code /version}): its body as text;
   * an answer other than 2xx fails with the typed exception of its status, so a server that
   * answered is told from one that could not be reached.
   */
  public Mono<String> getPath(String path) {
    return send(web.get().uri(uri(path, Map.of())));
  }

  /**
   * As {@link #getPath(String)}, but without waiting for the rate limit: a probe of whether the
   * client's connections still reach the API server, whose answer must not be late because the
   * component's own requests queue for tokens.
   */
  public Mono<String> probePath(String path) {
    return send(web.get().uri(uri(path, Map.of())).attribute(UNTHROTTLED, Boolean.TRUE));
  }

  /** A GET of {@code path} with query parameters (null values left out), its body as text. */
  public Mono<String> getPath(String path, Map<String, Object> query) {
    return send(web.get().uri(uri(path, query)));
  }

  /**
   * A PUT of a JSON body to {@code path} (a subresource no typed client covers, e.g. any kind's
   * {@code scale}), the answer's body as text; failures as {@link #getPath}.
   */
  public Mono<String> putPath(String path, String json) {
    return send(
        web.put().uri(uri(path, Map.of())).contentType(MediaType.APPLICATION_JSON).bodyValue(json));
  }

  Mono<String> send(WebClient.RequestHeadersSpec<?> request) {
    return request.exchangeToMono(
        response ->
            response.statusCode().is2xxSuccessful()
                ? response.bodyToMono(String.class).defaultIfEmpty("")
                : this.<String>failure(response));
  }

  /** The response body split into lines, for the line-delimited JSON of a watch. */
  Flux<String> stream(WebClient.RequestHeadersSpec<?> request) {
    return request.exchangeToFlux(
        response ->
            response.statusCode().is2xxSuccessful()
                ? response.bodyToFlux(String.class)
                : this.<String>failure(response).flux());
  }

  private <R> Mono<R> failure(ClientResponse response) {
    HttpStatusCode code = response.statusCode();
    return response
        .bodyToMono(String.class)
        .defaultIfEmpty("")
        .flatMap(body -> Mono.error(StatusErrors.fromResponse(mapper, code.value(), body)));
  }

  WebClient web() {
    return web;
  }

  /**
   * The current server's URL for {@code path} and the non-null {@code query} parameters, values
   * encoded strictly (a selector's {@code =}, {@code ,} and {@code !} are data, not syntax).
   */
  URI uri(String path, Map<String, Object> query) {
    UriComponentsBuilder b = UriComponentsBuilder.fromUriString(config.get().server()).path(path);
    Map<String, Object> values = new HashMap<>();
    query.forEach(
        (k, v) -> {
          if (v != null) {
            b.queryParam(k, "{" + k + "}");
            values.put(k, v);
          }
        });
    return b.encode().buildAndExpand(values).toUri();
  }
}
