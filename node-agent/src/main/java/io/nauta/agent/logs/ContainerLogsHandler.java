package io.nauta.agent.logs;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.nauta.agent.app.AgentNodes;
import io.nauta.agent.app.AgentProperties;
import io.nauta.agent.node.AgentNode;
import io.nauta.agent.runtime.RuntimePod;
import io.nauta.core.errors.ApiException;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.logs.LogOptions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The kubelet's {@code GET /containerLogs/{namespace}/{pod}/{container}}: streams a container's
 * output as {@code text/plain}, chunk by chunk as the runtime hands it over, with the kubelet's
 * query parameters ({@code follow}, {@code previous}, {@code timestamps}, {@code tailLines}, {@code
 * sinceSeconds}, {@code sinceTime}, {@code limitBytes}) and its plain-text errors and codes. The
 * pod is looked up among the pods bound to any node of this process (the agent may run several).
 */
public final class ContainerLogsHandler {

  private final SharedInformer<Pod> boundPods;
  private final Map<String, AgentNode> nodes;
  private final LogAuthentication authentication;

  public ContainerLogsHandler(
      SharedInformer<Pod> boundPods, AgentNodes nodes, AgentProperties.Authentication auth) {
    this.boundPods = boundPods;
    this.nodes =
        nodes.all().stream().collect(Collectors.toMap(AgentNode::name, Function.identity()));
    // Without the shared token the port's auth filter has authorized the caller already.
    this.authentication = auth.sharedToken() ? new LogAuthentication(auth) : null;
  }

  public RouterFunction<ServerResponse> routes() {
    return RouterFunctions.route()
        .GET("/containerLogs/{namespace}/{pod}/{container}", this::logs)
        .build();
  }

  Mono<ServerResponse> logs(ServerRequest request) {
    if (authentication != null && !authentication.allowed(request)) {
      return ServerResponse.status(HttpStatus.UNAUTHORIZED)
          .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
          .contentType(MediaType.TEXT_PLAIN)
          .bodyValue("Unauthorized");
    }
    String namespace = request.pathVariable("namespace");
    String name = request.pathVariable("pod");
    String container = request.pathVariable("container");
    LogOptions options;
    try {
      options = LogOptions.parse(request.queryParams(), name);
    } catch (ApiException e) {
      return text(HttpStatus.valueOf(e.code()), e.getMessage());
    }
    Optional<Pod> found = boundPods.store().get(namespace, name);
    AgentNode node = found.map(p -> nodes.get(p.getSpec().getNodeName())).orElse(null);
    if (node == null) {
      return text(HttpStatus.NOT_FOUND, "pod \"" + name + "\" does not exist");
    }
    Pod pod = found.get();
    if (!containerNames(pod.getSpec()).contains(container)) {
      return text(
          HttpStatus.NOT_FOUND,
          "container \"" + container + "\" not found in pod \"" + name + "\"");
    }
    String uid = pod.getMetadata().getUid();
    return node.runtime()
        .pod(uid)
        .map(Optional::of)
        .defaultIfEmpty(Optional.<RuntimePod>empty())
        .flatMap(
            running -> {
              String refusal =
                  ContainerLogStatus.refusal(
                      pod, running.orElse(null), container, options.previous());
              if (refusal != null) {
                return text(HttpStatus.BAD_REQUEST, refusal);
              }
              return stream(node.runtime().logs(uid, container, options));
            });
  }

  /**
   * Each chunk is flushed as it comes, so a follower sees lines as they are written; an empty first
   * group sends the headers at once, before the container writes anything.
   */
  private static Mono<ServerResponse> stream(Flux<byte[]> chunks) {
    return ServerResponse.ok()
        .contentType(MediaType.TEXT_PLAIN)
        .build(
            (exchange, context) -> {
              ServerHttpResponse response = exchange.getResponse();
              Flux<Mono<DataBuffer>> groups =
                  chunks.map(b -> Mono.just(response.bufferFactory().wrap(b)));
              return response.writeAndFlushWith(Flux.concat(Flux.just(Mono.empty()), groups));
            });
  }

  private static Mono<ServerResponse> text(HttpStatus status, String message) {
    return ServerResponse.status(status).contentType(MediaType.TEXT_PLAIN).bodyValue(message);
  }

  private static List<String> containerNames(PodSpec spec) {
    return Stream.of(spec.getInitContainers(), spec.getContainers())
        .filter(l -> l != null)
        .flatMap(List::stream)
        .map(Container::getName)
        .toList();
  }
}
