package io.nauta.api.http;

import io.nauta.api.resource.ObjectCodec;
import io.nauta.api.resource.ResourceService;
import io.nauta.core.registry.ResourceRegistry;
import io.nauta.core.registry.ResourceType;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code scale} subresource of every type that lists it (deployments, replica sets): GET, PUT
 * and PATCH of an {@code autoscaling/v1 Scale} ({@link ScaleSubresource}), written as a change of
 * the main resource's {@code spec.replicas} inside the store's update loop, so a concurrent writer
 * makes the change re-apply rather than lose either write.
 */
@Component
class ScaleHandler implements SubresourceHandler {

  private final Set<ResourceType> types;
  private final ResourceService service;
  private final ObjectCodec codec;
  private final RequestBodies bodies;

  ScaleHandler(
      ResourceRegistry registry, ResourceService service, ObjectCodec codec, RequestBodies bodies) {
    this.types =
        registry.all().stream().filter(t -> t.hasSubresource("scale")).collect(Collectors.toSet());
    this.service = service;
    this.codec = codec;
    this.bodies = bodies;
  }

  @Override
  public String subresource() {
    return "scale";
  }

  @Override
  public Set<ResourceType> types() {
    return types;
  }

  @Override
  public Mono<ServerResponse> handle(ServerRequest request, ResourceType type, RequestInfo info) {
    HttpMethod method = request.method();
    if (method == HttpMethod.GET && !info.legacyWatch()) {
      return service
          .get(type, info.namespace(), info.name())
          .flatMap(obj -> ApiHandler.json(HttpStatus.OK, codec.write(toScale(obj))));
    }
    if (method == HttpMethod.PUT) {
      return put(request, type, info);
    }
    if (method == HttpMethod.PATCH) {
      return patch(request, type, info);
    }
    throw SubresourceHandler.notAllowed();
  }

  private Mono<ServerResponse> put(ServerRequest request, ResourceType type, RequestInfo info) {
    boolean dryRun = QueryOptions.dryRun(request.queryParams());
    ApiHandler.fieldValidation(request); // refused when malformed, as on any write
    return bodies
        .readObject(request)
        .flatMap(
            scale ->
                updateReplicas(
                    type, info, dryRun, current -> ScaleSubresource.applyScale(current, scale)));
  }

  private Mono<ServerResponse> patch(ServerRequest request, ResourceType type, RequestInfo info) {
    String contentType = ApiHandler.patchContentType(request);
    boolean dryRun = QueryOptions.dryRun(request.queryParams());
    ApiHandler.fieldValidation(request);
    return bodies
        .read(request)
        .map(codec::parse)
        .flatMap(
            patch ->
                updateReplicas(
                    type,
                    info,
                    dryRun,
                    current ->
                        ScaleSubresource.applyScale(
                            current,
                            ApiHandler.applyPatch(contentType, toScale(current), patch, "Scale"))));
  }

  /** Writes the object with the wanted Scale applied; answers with the Scale written. */
  private Mono<ServerResponse> updateReplicas(
      ResourceType type, RequestInfo info, boolean dryRun, UnaryOperator<ObjectNode> scaled) {
    return service
        .guaranteedUpdate(type, info.namespace(), info.name(), null, dryRun, scaled)
        .flatMap(
            w -> ApiHandler.json(HttpStatus.OK, codec.write(toScale(codec.parseStored(w.json())))));
  }

  private ObjectNode toScale(ObjectNode obj) {
    return ScaleSubresource.toScale(obj, codec.mapper());
  }
}
