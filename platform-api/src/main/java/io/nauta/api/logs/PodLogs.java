package io.nauta.api.logs;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.api.config.NautaProperties;
import io.nauta.api.resource.ObjectCodec;
import io.nauta.api.resource.ResourceService;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.logs.LogOptions;
import io.nauta.core.registry.BuiltInResources;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@code log} subresource of pods ({@code GET .../pods/{name}/log}): validates the options and
 * the container as Kubernetes does, finds the node agent the pod runs on and streams its answer as
 * {@code text/plain}, each chunk flushed as it arrives so {@code kubectl logs -f} sees lines as
 * they are written.
 */
@Component
public class PodLogs {

  private final ResourceService service;
  private final ObjectCodec codec;
  private final AgentLogClient agents;
  private final int defaultPort;

  public PodLogs(
      ResourceService service, ObjectCodec codec, AgentLogClient agents, NautaProperties props) {
    this.service = service;
    this.codec = codec;
    this.agents = agents;
    this.defaultPort = props.kubelet().port();
  }

  public Mono<ServerResponse> read(ServerRequest request, String namespace, String name) {
    // Options first: bad ones are refused before anything is looked up, as in Kubernetes.
    LogOptions options = LogOptions.parse(request.queryParams(), name);
    String requested = request.queryParams().getFirst("container");
    return service
        .get(BuiltInResources.PODS, namespace, name)
        .map(obj -> codec.mapper().treeToValue(obj, Pod.class))
        .flatMap(
            pod -> {
              String container = LogTarget.container(pod, requested);
              String nodeName = pod.getSpec().getNodeName();
              if (nodeName == null || nodeName.isEmpty()) {
                // Kubernetes answers an empty log here; the kubelet's words say more.
                throw new BadRequestException(
                    "container \""
                        + container
                        + "\" in pod \""
                        + name
                        + "\" is waiting to start: ContainerCreating");
              }
              return service
                  .get(BuiltInResources.NODES, null, nodeName)
                  .map(obj -> codec.mapper().treeToValue(obj, Node.class))
                  .flatMap(
                      node -> {
                        String address = LogTarget.agentAddress(node, defaultPort);
                        URI uri =
                            agentUri(
                                agents.scheme(),
                                nodeName,
                                address,
                                "/containerLogs/"
                                    + encode(namespace)
                                    + "/"
                                    + encode(name)
                                    + "/"
                                    + encode(container)
                                    + (options.toQuery().isEmpty() ? "" : "?" + options.toQuery()));
                        return agents.read(uri, nodeName);
                      });
            })
        .flatMap(PodLogs::stream);
  }

  /** An empty first group sends the headers at once, before the container writes anything. */
  private static Mono<ServerResponse> stream(Flux<DataBuffer> body) {
    return ServerResponse.ok()
        .contentType(MediaType.TEXT_PLAIN)
        .build(
            (exchange, context) -> {
              ServerHttpResponse response = exchange.getResponse();
              return response.writeAndFlushWith(
                  Flux.concat(Flux.just(Mono.<DataBuffer>empty()), body.map(Mono::just)));
            });
  }

  /**
   * The agent's URL. A node's address is whatever its writer stored: one that makes no URL (a
   * space, a stray bracket) is refused as the bad input it is, not a 500.
   */
  public static URI agentUri(String scheme, String nodeName, String address, String pathAndQuery) {
    try {
      URI uri = new URI(scheme + "://" + address + pathAndQuery);
      if (uri.getHost() == null) {
        throw new URISyntaxException(address, "no host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new BadRequestException(
          "node \"" + nodeName + "\" has an address its agent cannot be reached at: " + address);
    }
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
