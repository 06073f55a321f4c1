package io.nauta.api.streaming;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.api.config.NautaProperties;
import io.nauta.api.logs.AgentLogClient;
import io.nauta.api.logs.LogTarget;
import io.nauta.api.logs.PodLogs;
import io.nauta.api.resource.ObjectCodec;
import io.nauta.api.resource.ResourceService;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.errors.InternalErrorException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.http.UpgradeResponse;
import io.nauta.core.registry.BuiltInResources;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * {@code pods/exec} and {@code pods/attach} as Kubernetes' {@code ExecREST}/{@code AttachREST}: the
 * options are checked, the pod's node agent is connected to over WebSocket ({@code
 * /exec/{namespace}/{pod}/{container}} as the kubelet's, with the API server's client certificate)
 * offering the protocols the client offered, and only once the agent accepted is the client's
 * upgrade answered, with the protocol the agent chose. From then on messages are relayed as they
 * are ({@link StreamRelay}); the channel protocol is the agent's business, as it is the kubelet's.
 * SPDY (kubectl 1.27-1.28, and 1.29 unless told otherwise) is refused with a Status saying what to
 * use. {@code pods/portforward} is the same relay to the agent's {@code
 * /portForward/{namespace}/{pod}}, with the protocol kubectl 1.31+ offers for it ({@link
 * #PORT_FORWARD_PROTOCOLS}: SPDY tunnelled in WebSocket messages, which the agent speaks).
 */
@Component
public class PodStreams {

  /** The protocols kubectl speaks over WebSocket for exec and attach. */
  static final List<String> PROTOCOLS = List.of("v5.channel.k8s.io", "v4.channel.k8s.io");

  /**
   * What kubectl 1.31+ offers for port-forward: SPDY/3.1 tunnelled in WebSocket binary messages
   * (client-go's tunnelling dialer), which the agent serves; this server relays the messages.
   */
  static final List<String> PORT_FORWARD_PROTOCOLS = List.of("SPDY/3.1+portforward.k8s.io");

  static final String PORT_FORWARD_SPDY_REFUSAL =
      "Upgrade request failed: SPDY/3.1 is not supported by this API server; port-forward needs"
          + " kubectl 1.31 or later (SPDY/3.1+portforward.k8s.io over WebSocket), or"
          + " KUBECTL_PORT_FORWARD_WEBSOCKETS=true with kubectl 1.30";

  static final String SPDY_REFUSAL =
      "Upgrade request failed: SPDY/3.1 is not supported by this API server; exec, attach and cp"
          + " need kubectl 1.30 or later (WebSocket), or KUBECTL_REMOTE_COMMAND_WEBSOCKETS=true"
          + " with kubectl 1.29";

  private final ResourceService service;
  private final ObjectCodec codec;
  private final AgentLogClient agents;
  private final ReactorNettyWebSocketClient client;
  private final WebSocketService upgrades = new HandshakeWebSocketService();
  private final int defaultPort;

  public PodStreams(
      ResourceService service, ObjectCodec codec, AgentLogClient agents, NautaProperties props) {
    this.service = service;
    this.codec = codec;
    this.agents = agents;
    this.client = new ReactorNettyWebSocketClient(agents.httpClient());
    this.defaultPort = props.kubelet().port();
  }

  /**
   * @param kind {@code exec}, {@code attach} or {@code portforward}: the subresource
   */
  public Mono<ServerResponse> stream(
      ServerRequest request, String kind, String namespace, String name) {
    HttpHeaders headers = request.headers().asHttpHeaders();
    boolean portForward = kind.equals("portforward");
    List<String> protocols = portForward ? PORT_FORWARD_PROTOCOLS : PROTOCOLS;
    List<String> offered =
        headers.getOrEmpty("Sec-WebSocket-Protocol").stream()
            .flatMap(h -> Arrays.stream(h.split(",")))
            .map(String::trim)
            .filter(protocols::contains)
            .toList();
    MultiValueMap<String, String> query = request.queryParams();
    if (!portForward) {
      checkOptions(kind, query);
    }
    String requested = query.getFirst("container");
    return service
        .get(BuiltInResources.PODS, namespace, name)
        .map(obj -> codec.mapper().treeToValue(obj, Pod.class))
        .flatMap(
            pod -> {
              // The kubelet's paths: /portForward/{namespace}/{pod} (the ports are per stream),
              // /{exec,attach}/{namespace}/{pod}/{container}?{streams, command}.
              String path =
                  portForward
                      ? "/portForward/" + encode(namespace) + "/" + encode(name)
                      : "/"
                          + kind
                          + "/"
                          + encode(namespace)
                          + "/"
                          + encode(name)
                          + "/"
                          + encode(LogTarget.container(pod, requested))
                          + "?"
                          + agentQuery(query);
              String nodeName = pod.getSpec().getNodeName();
              if (nodeName == null || nodeName.isEmpty()) {
                throw new BadRequestException("pod " + name + " does not have a host assigned");
              }
              return service
                  .get(BuiltInResources.NODES, null, nodeName)
                  .map(obj -> codec.mapper().treeToValue(obj, Node.class))
                  .map(
                      node ->
                          PodLogs.agentUri(
                              agents.scheme().equals("https") ? "wss" : "ws",
                              nodeName,
                              LogTarget.agentAddress(node, defaultPort),
                              path));
            })
        .flatMap(
            uri -> {
              // After the checks of the request, as Kubernetes answers a bad one whatever its
              // protocol: kubectl falls back from WebSocket to SPDY on any refusal, and would
              // otherwise only ever show this one.
              checkUpgrade(kind, headers.getFirst(HttpHeaders.UPGRADE), offered, protocols);
              return connect(uri, offered);
            });
  }

  private static void checkUpgrade(
      String kind, String upgrade, List<String> offered, List<String> protocols) {
    if (upgrade != null && upgrade.toUpperCase().startsWith("SPDY")) {
      throw new BadRequestException(
          kind.equals("portforward") ? PORT_FORWARD_SPDY_REFUSAL : SPDY_REFUSAL);
    }
    if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
      throw new BadRequestException(
          "Upgrade request required: " + kind + " is served over WebSocket (" + protocols + ")");
    }
    if (offered.isEmpty()) {
      throw new BadRequestException(
          "none of the requested WebSocket protocols is supported: use one of " + protocols);
    }
  }

  /** Kubernetes' checks of {@code PodExecOptions}/{@code PodAttachOptions}. */
  static void checkOptions(String kind, MultiValueMap<String, String> query) {
    boolean stdin = bool(query, "stdin");
    boolean stdout = bool(query, "stdout");
    boolean stderr = bool(query, "stderr");
    if (!stdin && !stdout && !stderr) {
      throw new BadRequestException("you must specify at least 1 of stdin, stdout, stderr");
    }
    if (kind.equals("exec") && query.getOrDefault("command", List.of()).isEmpty()) {
      throw new BadRequestException("you must specify at least one command for the container");
    }
  }

  private static boolean bool(MultiValueMap<String, String> q, String name) {
    String v = q.getFirst(name);
    return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
  }

  /** The kubelet's query: the streams and the command, in order; the container is in the path. */
  static String agentQuery(MultiValueMap<String, String> query) {
    StringBuilder q = new StringBuilder();
    for (String key : List.of("stdin", "stdout", "stderr", "tty")) {
      if (bool(query, key)) {
        q.append(q.isEmpty() ? "" : "&").append(key).append("=1");
      }
    }
    for (String arg : query.getOrDefault("command", List.of())) {
      q.append(q.isEmpty() ? "" : "&").append("command=").append(encode(arg));
    }
    return q.toString();
  }

  /**
   * Connects to the agent; the answer to the client is its upgrade once the agent accepted, or the
   * agent's refusal as a Status. The agent's connection lives until the relay ends or the client's
   * request is cancelled before its upgrade.
   */
  private Mono<ServerResponse> connect(URI uri, List<String> offered) {
    HttpHeaders headers = new HttpHeaders();
    headers.put("Sec-WebSocket-Protocol", List.of(String.join(", ", offered)));
    String authorization = agents.authorization();
    if (authorization != null) {
      headers.set(HttpHeaders.AUTHORIZATION, authorization);
    }
    Sinks.One<WebSocketSession> accepted = Sinks.one();
    Sinks.Empty<Void> done = Sinks.empty();
    Disposable connection =
        client
            .execute(
                uri,
                headers,
                new WebSocketHandler() {
                  @Override
                  public List<String> getSubProtocols() {
                    return offered;
                  }

                  @Override
                  public Mono<Void> handle(WebSocketSession agent) {
                    accepted.tryEmitValue(agent);
                    return done.asMono();
                  }
                })
            .subscribe(
                v -> {},
                e -> accepted.tryEmitError(refusal(e, uri)),
                () -> accepted.tryEmitError(new InternalErrorException("the node agent closed")));
    return accepted
        .asMono()
        .map(
            agent ->
                (ServerResponse)
                    new UpgradeResponse(
                        // A client handshake that fails runs no relay: the agent's side ends too.
                        // (Success completes at the handshake, before the relay ends.)
                        (exchange, handler) ->
                            upgrades
                                .handleRequest(exchange, handler)
                                .doOnError(e -> done.tryEmitEmpty()),
                        new StreamRelay(agent, () -> done.tryEmitEmpty())))
        .doOnCancel(connection::dispose)
        .doOnError(e -> connection.dispose());
  }

  private static RuntimeException refusal(Throwable e, URI uri) {
    if (e instanceof WebSocketClientHandshakeException h && h.response() != null) {
      int code = h.response().status().code();
      return switch (code) {
        case 404 ->
            new NotFoundException(
                "the node agent at " + uri.getAuthority() + " has no such pod or container");
        case 400 -> new BadRequestException("the node agent refused the request (400)");
        case 401, 403 ->
            new InternalErrorException(
                "the node agent at "
                    + uri.getAuthority()
                    + " refused the API server's credentials ("
                    + code
                    + ")");
        default -> new InternalErrorException("the node agent answered " + code);
      };
    }
    return new InternalErrorException(
        "error dialing backend: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
