package io.nauta.api.http;

import io.nauta.api.customresource.CustomResources;
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
 * The {@code scale} subresource of every type that has one: the built-in kinds that list it
 * (deployments, replica sets) and custom resources whose definition declares it. GET, PUT and PATCH
 * of an {@code autoscaling/v1 Scale}, read and written through the type's {@link ScaleMapping}; a
 * write is a change of the main resource's spec replicas inside the store's update loop, so a
 * concurrent writer makes the change re-apply rather than lose either write.
 */
@Component
class ScaleHandler implements SubresourceHandler {

  private final Set<ResourceType> builtIn;
  private final CustomResources customResources;
  private final ResourceRegistry registry;
  private final ResourceService service;
  private final ObjectCodec codec;
  private final RequestBodies bodies;

  ScaleHandler(
      ResourceRegistry registry,
      CustomResources customResources,
      ResourceService service,
      ObjectCodec codec,
      RequestBodies bodies) {
    this.builtIn =
        registry.all().stream().filter(t -> t.hasSubresource("scale")).collect(Collectors.toSet());
    this.customResources = customResources;
    this.registry = registry;
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
    return builtIn;
  }

  /** Custom resources come and go: whether one has a scale is asked of its definition. */
  @Override
  public boolean serves(ResourceType type) {
    return builtIn.contains(type) || customResources.scale(type).isPresent();
  }

  @Override
  public Mono<ServerResponse> handle(ServerRequest request, ResourceType type, RequestInfo info) {
    ScaleMapping mapping =
        builtIn.contains(type)
            ? ScaleMapping.BUILT_IN
            : customResources
                .scale(type)
                .map(ScaleMapping::ofPaths)
                .orElseThrow(SubresourceHandler::notAllowed);
    // A custom resource may be served at a version it is not stored at.
    ResourceType stored = registry.storageOf(type);
    HttpMethod method = request.method();
    if (method == HttpMethod.GET && !info.legacyWatch()) {
      return service
          .get(stored, info.namespace(), info.name())
          .flatMap(obj -> ApiHandler.json(HttpStatus.OK, codec.write(toScale(mapping, obj))));
    }
    boolean dryRun = QueryOptions.dryRun(request.queryParams());
    if (method == HttpMethod.PUT) {
      ApiHandler.fieldValidation(request); // refused when malformed, as on any write
      return bodies
          .readObject(request)
          .flatMap(
              scale ->
                  updateReplicas(
                      stored, info, dryRun, mapping, current -> mapping.apply(current, scale)));
    }
    if (method == HttpMethod.PATCH) {
      String contentType = ApiHandler.patchContentType(request);
      ApiHandler.fieldValidation(request);
      return bodies
          .read(request)
          .map(codec::parse)
          .flatMap(
              patch ->
                  updateReplicas(
                      stored,
                      info,
                      dryRun,
                      mapping,
                      current ->
                          mapping.apply(
                              current,
                              ApiHandler.applyPatch(
                                  contentType, toScale(mapping, current), patch, "Scale"))));
    }
    throw SubresourceHandler.notAllowed();
  }

  /** Writes the object with the wanted Scale applied; answers with the Scale written. */
  private Mono<ServerResponse> updateReplicas(
      ResourceType stored,
      RequestInfo info,
      boolean dryRun,
      ScaleMapping mapping,
      UnaryOperator<ObjectNode> scaled) {
    return service
        .guaranteedUpdate(stored, info.namespace(), info.name(), null, dryRun, scaled)
        .flatMap(
            w ->
                ApiHandler.json(
                    HttpStatus.OK, codec.write(toScale(mapping, codec.parseStored(w.json())))));
  }

  private ObjectNode toScale(ScaleMapping mapping, ObjectNode obj) {
    return mapping.toScale(obj, codec.mapper());
  }
}
