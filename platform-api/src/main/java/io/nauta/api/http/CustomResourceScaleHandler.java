package io.nauta.api.http;

import io.nauta.api.customresource.CustomResources;
import io.nauta.api.resource.Meta;
import io.nauta.api.resource.ObjectCodec;
import io.nauta.api.resource.ResourceService;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.registry.ResourceRegistry;
import io.nauta.core.registry.ResourceType;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code scale} subresource of custom resources whose definition declares one: an {@code
 * autoscaling/v1 Scale} read from and written to the fields its {@code specReplicasPath}, {@code
 * statusReplicasPath} and {@code labelSelectorPath} name, so {@code kubectl scale} works. Writes
 * change only the spec replicas, inside the store's update loop, as for deployments.
 */
@Component
class CustomResourceScaleHandler implements SubresourceHandler {

  private final CustomResources customResources;
  private final ResourceRegistry registry;
  private final ResourceService service;
  private final ObjectCodec codec;
  private final RequestBodies bodies;

  CustomResourceScaleHandler(
      CustomResources customResources,
      ResourceRegistry registry,
      ResourceService service,
      ObjectCodec codec,
      RequestBodies bodies) {
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
    return Set.of();
  }

  @Override
  public boolean serves(ResourceType type) {
    return customResources.scale(type).isPresent();
  }

  @Override
  public Mono<ServerResponse> handle(ServerRequest request, ResourceType type, RequestInfo info) {
    JsonNode paths = customResources.scale(type).orElseThrow(SubresourceHandler::notAllowed);
    ResourceType stored = registry.storageOf(type);
    HttpMethod method = request.method();
    if (method == HttpMethod.GET && !info.legacyWatch()) {
      return service
          .get(stored, info.namespace(), info.name())
          .flatMap(obj -> ApiHandler.json(HttpStatus.OK, codec.write(toScale(obj, paths))));
    }
    boolean dryRun = QueryOptions.dryRun(request.queryParams());
    if (method == HttpMethod.PUT) {
      ApiHandler.fieldValidation(request);
      return bodies
          .readObject(request)
          .flatMap(scale -> write(stored, info, dryRun, paths, cur -> apply(cur, scale, paths)));
    }
    if (method == HttpMethod.PATCH) {
      String contentType = ApiHandler.patchContentType(request);
      ApiHandler.fieldValidation(request);
      return bodies
          .read(request)
          .map(codec::parse)
          .flatMap(
              patch ->
                  write(
                      stored,
                      info,
                      dryRun,
                      paths,
                      cur ->
                          apply(
                              cur,
                              ApiHandler.applyPatch(
                                  contentType, toScale(cur, paths), patch, "Scale"),
                              paths)));
    }
    throw SubresourceHandler.notAllowed();
  }

  private Mono<ServerResponse> write(
      ResourceType stored,
      RequestInfo info,
      boolean dryRun,
      JsonNode paths,
      UnaryOperator<ObjectNode> scaled) {
    return service
        .guaranteedUpdate(stored, info.namespace(), info.name(), null, dryRun, scaled)
        .flatMap(
            w ->
                ApiHandler.json(
                    HttpStatus.OK, codec.write(toScale(codec.parseStored(w.json()), paths))));
  }

  private ObjectNode toScale(ObjectNode obj, JsonNode paths) {
    String selectorPath = paths.path("labelSelectorPath").asString("");
    JsonNode selector = selectorPath.isEmpty() ? null : at(obj, selectorPath);
    return ScaleSubresource.scale(
        obj,
        codec.mapper(),
        at(obj, paths.path("specReplicasPath").asString("")).asLong(0),
        at(obj, paths.path("statusReplicasPath").asString("")).asLong(0),
        selector != null && selector.isString() ? selector.asString() : null);
  }

  /** Sets the spec replicas path to the Scale's {@code spec.replicas}; nothing else changes. */
  private static ObjectNode apply(ObjectNode obj, ObjectNode scale, JsonNode paths) {
    JsonNode replicas = scale.path("spec").get("replicas");
    if (replicas == null || !replicas.isIntegralNumber()) {
      throw new BadRequestException("Scale spec.replicas must be an integer");
    }
    String[] fields = fields(paths.path("specReplicasPath").asString(""));
    ObjectNode parent = obj;
    for (int i = 0; i < fields.length - 1; i++) {
      parent = parent.get(fields[i]) instanceof ObjectNode o ? o : parent.putObject(fields[i]);
    }
    parent.put(fields[fields.length - 1], replicas.asLong());
    String rv = Meta.resourceVersion(scale);
    Meta.of(obj).put("resourceVersion", rv == null ? "" : rv);
    return obj;
  }

  /** The field at a simple JSON path such as {@code .spec.replicas}; missing when absent. */
  private static JsonNode at(JsonNode obj, String path) {
    JsonNode n = obj;
    for (String f : fields(path)) {
      n = n.path(f);
    }
    return n;
  }

  private static String[] fields(String path) {
    String p = path.startsWith(".") ? path.substring(1) : path;
    return p.split("\\.");
  }
}
