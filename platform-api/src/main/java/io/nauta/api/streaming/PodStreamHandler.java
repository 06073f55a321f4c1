package io.nauta.api.streaming;

import io.nauta.api.http.RequestInfo;
import io.nauta.api.http.SubresourceHandler;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.util.Set;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code pods/exec}, {@code pods/attach} or {@code pods/portforward}: GET (a WebSocket upgrade) or
 * POST (SPDY, refused with a Status), streamed by {@link PodStreams}. Kubernetes' connect verbs are
 * {@code get} and {@code create}; authorization checks {@code create} for a WebSocket GET too.
 */
class PodStreamHandler implements SubresourceHandler {

  private final PodStreams streams;
  private final String subresource;

  PodStreamHandler(PodStreams streams, String subresource) {
    this.streams = streams;
    this.subresource = subresource;
  }

  @Override
  public String subresource() {
    return subresource;
  }

  @Override
  public Set<ResourceType> types() {
    return Set.of(BuiltInResources.PODS);
  }

  @Override
  public Mono<ServerResponse> handle(ServerRequest request, ResourceType type, RequestInfo info) {
    HttpMethod method = request.method();
    if ((method != HttpMethod.GET && method != HttpMethod.POST)
        || info.legacyWatch()
        || info.name() == null) {
      throw SubresourceHandler.notAllowed();
    }
    return streams.stream(request, subresource, info.namespace(), info.name());
  }
}
