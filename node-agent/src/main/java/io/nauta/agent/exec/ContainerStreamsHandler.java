package io.nauta.agent.exec;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.agent.app.AgentNodes;
import io.nauta.agent.app.AgentProperties;
import io.nauta.agent.node.AgentNode;
import io.nauta.agent.runtime.ContainerStreams;
import io.nauta.agent.runtime.StreamRequest;
import io.nauta.core.auth.BearerToken;
import io.nauta.core.http.UpgradeResponse;
import io.nauta.core.informer.SharedInformer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import reactor.core.publisher.Mono;

/**
 * The kubelet's {@code /exec/{namespace}/{pod}/{container}?command=…&stdin=…} and {@code
 * /attach/{namespace}/{pod}/{container}}, which the API server's {@code pods/exec} and {@code
 * pods/attach} reach: a WebSocket upgrade speaking {@link StreamProtocol}, the process run by the
 * node's runtime; and {@code /portForward/{namespace}/{pod}} for {@code pods/portforward} ({@link
 * PortForwardSession}). The port's auth filter has authorized the caller as {@code nodes/proxy};
 * with the shared token instead, the token is checked here as for logs. SPDY (kubectl before 1.30
 * by default) is refused with a plain-text 400 saying so.
 */
public final class ContainerStreamsHandler {

  static final String SPDY_REFUSAL =
      "SPDY streams are not supported: use kubectl 1.30 or later (WebSocket,"
          + " v5.channel.k8s.io/v4.channel.k8s.io), or KUBECTL_REMOTE_COMMAND_WEBSOCKETS=true with"
          + " kubectl 1.29";

  private final SharedInformer<Pod> boundPods;
  private final Map<String, AgentNode> nodes;
  private final BearerToken token;
  private final boolean sharedToken;
  private final WebSocketService upgrades = new HandshakeWebSocketService();

  public ContainerStreamsHandler(
      SharedInformer<Pod> boundPods, AgentNodes nodes, AgentProperties.Authentication auth) {
    this.boundPods = boundPods;
    this.nodes =
        nodes.all().stream().collect(Collectors.toMap(AgentNode::name, Function.identity()));
    this.sharedToken = auth.sharedToken();
    this.token = sharedToken ? BearerToken.of(auth.token(), auth.tokenFile()) : null;
  }

  public RouterFunction<ServerResponse> routes() {
    return RouterFunctions.route()
        .GET("/exec/{namespace}/{pod}/{container}", r -> stream(r, false))
        .POST("/exec/{namespace}/{pod}/{container}", r -> stream(r, false))
        .GET("/attach/{namespace}/{pod}/{container}", r -> stream(r, true))
        .POST("/attach/{namespace}/{pod}/{container}", r -> stream(r, true))
        .GET("/portForward/{namespace}/{pod}", this::portForward)
        .POST("/portForward/{namespace}/{pod}", this::portForward)
        .build();
  }

  Mono<ServerResponse> stream(ServerRequest request, boolean attach) {
    if (sharedToken
        && (token == null
            || !token.matches(request.headers().firstHeader(HttpHeaders.AUTHORIZATION)))) {
      return text(HttpStatus.UNAUTHORIZED, "Unauthorized");
    }
    String namespace = request.pathVariable("namespace");
    String name = request.pathVariable("pod");
    String container = request.pathVariable("container");
    StreamRequest options;
    try {
      options = options(request, attach);
    } catch (IllegalArgumentException e) {
      return text(HttpStatus.BAD_REQUEST, e.getMessage());
    }
    Optional<Pod> found = boundPods.store().get(namespace, name);
    AgentNode node = found.map(p -> nodes.get(p.getSpec().getNodeName())).orElse(null);
    if (node == null) {
      return text(HttpStatus.NOT_FOUND, "pod \"" + name + "\" does not exist");
    }
    Pod pod = found.get();
    if (!containerNames(pod).contains(container)) {
      return text(
          HttpStatus.NOT_FOUND,
          "container \"" + container + "\" not found in pod \"" + name + "\"");
    }
    String upgrade = request.headers().firstHeader(HttpHeaders.UPGRADE);
    if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
      return text(
          HttpStatus.BAD_REQUEST,
          upgrade != null && upgrade.toUpperCase().startsWith("SPDY")
              ? SPDY_REFUSAL
              : "Upgrade request required (WebSocket)");
    }
    List<String> offered = request.headers().header("Sec-WebSocket-Protocol");
    boolean speaks =
        offered.stream()
            .flatMap(h -> Arrays.stream(h.split(",")))
            .map(String::trim)
            .anyMatch(StreamProtocol.PROTOCOLS::contains);
    if (!speaks) {
      return text(
          HttpStatus.BAD_REQUEST,
          "none of the requested WebSocket protocols "
              + offered
              + " is served: use "
              + String.join(" or ", StreamProtocol.PROTOCOLS));
    }
    String uid = pod.getMetadata().getUid();
    Mono<ContainerStreams> opening =
        attach
            ? node.runtime().attach(uid, container, options)
            : node.runtime().exec(uid, container, options);
    WebSocketHandler handler =
        new WebSocketHandler() {
          @Override
          public List<String> getSubProtocols() {
            return StreamProtocol.PROTOCOLS;
          }

          @Override
          public Mono<Void> handle(WebSocketSession session) {
            return StreamSession.run(session, opening, options.command());
          }
        };
    return Mono.just(new UpgradeResponse(upgrades, handler));
  }

  /**
   * The kubelet's {@code /portForward/{namespace}/{pod}}: a WebSocket carrying SPDY ({@link
   * PortForwardSession}), the ports named per stream.
   */
  Mono<ServerResponse> portForward(ServerRequest request) {
    if (sharedToken
        && (token == null
            || !token.matches(request.headers().firstHeader(HttpHeaders.AUTHORIZATION)))) {
      return text(HttpStatus.UNAUTHORIZED, "Unauthorized");
    }
    String name = request.pathVariable("pod");
    Optional<Pod> found = boundPods.store().get(request.pathVariable("namespace"), name);
    AgentNode node = found.map(p -> nodes.get(p.getSpec().getNodeName())).orElse(null);
    if (node == null) {
      return text(HttpStatus.NOT_FOUND, "pod \"" + name + "\" does not exist");
    }
    String upgrade = request.headers().firstHeader(HttpHeaders.UPGRADE);
    boolean speaks =
        request.headers().header("Sec-WebSocket-Protocol").stream()
            .flatMap(h -> Arrays.stream(h.split(",")))
            .map(String::trim)
            .anyMatch(PortForwardSession.PROTOCOL::equals);
    if (upgrade == null || !upgrade.equalsIgnoreCase("websocket") || !speaks) {
      return text(
          HttpStatus.BAD_REQUEST,
          "port-forward is served over WebSocket (" + PortForwardSession.PROTOCOL + ") only");
    }
    WebSocketHandler handler =
        new WebSocketHandler() {
          @Override
          public List<String> getSubProtocols() {
            return List.of(PortForwardSession.PROTOCOL);
          }

          @Override
          public Mono<Void> handle(WebSocketSession session) {
            // The pod as it is at each connection (its IP is known once it runs).
            String namespace = found.get().getMetadata().getNamespace();
            return PortForwardSession.run(
                session,
                port ->
                    node.runtime()
                        .portForwardTarget(
                            boundPods.store().get(namespace, name).orElse(found.get()), port),
                name);
          }
        };
    return Mono.just(new UpgradeResponse(upgrades, handler));
  }

  /** The kubelet's options: at least one stream; a TTY merges stderr into stdout. */
  static StreamRequest options(ServerRequest request, boolean attach) {
    MultiValueMap<String, String> q = request.queryParams();
    boolean stdin = bool(q, "stdin");
    boolean stdout = bool(q, "stdout");
    boolean stderr = bool(q, "stderr");
    boolean tty = bool(q, "tty");
    if (!stdin && !stdout && !stderr) {
      throw new IllegalArgumentException("you must specify at least 1 of stdin, stdout, stderr");
    }
    List<String> command = attach ? List.of() : q.getOrDefault("command", List.of());
    if (!attach && command.isEmpty()) {
      throw new IllegalArgumentException("you must specify at least one command for the container");
    }
    return new StreamRequest(command, stdin, stdout, stderr && !tty, tty);
  }

  private static boolean bool(MultiValueMap<String, String> q, String name) {
    String v = q.getFirst(name);
    return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
  }

  private static Mono<ServerResponse> text(HttpStatus status, String message) {
    return ServerResponse.status(status).contentType(MediaType.TEXT_PLAIN).bodyValue(message);
  }

  private static List<String> containerNames(Pod pod) {
    return Stream.of(pod.getSpec().getInitContainers(), pod.getSpec().getContainers())
        .filter(l -> l != null)
        .flatMap(List::stream)
        .map(Container::getName)
        .toList();
  }
}
