package io.nauta.api.http;

import io.nauta.api.logs.PodLogs;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.util.Set;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** {@code pods/log}: GET only, streamed from the pod's node agent by {@link PodLogs}. */
@Component
class PodLogHandler implements SubresourceHandler {

  private final PodLogs podLogs;

  PodLogHandler(PodLogs podLogs) {
    this.podLogs = podLogs;
  }

  @Override
  public String subresource() {
    return "log";
  }

  @Override
  public Set<ResourceType> types() {
    return Set.of(BuiltInResources.PODS);
  }

  @Override
  public Mono<ServerResponse> handle(ServerRequest request, ResourceType type, RequestInfo info) {
    if (request.method() != HttpMethod.GET || info.legacyWatch()) {
      throw SubresourceHandler.notAllowed();
    }
    return podLogs.read(request, info.namespace(), info.name());
  }
}
