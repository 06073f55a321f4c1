package io.nauta.controllers.autoscaling;

import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.nauta.core.client.KubeClient;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceRegistry;
import io.nauta.core.registry.ResourceType;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code scale} subresource of whatever an autoscaler targets: a built-in kind found in the
 * registry, any other (a custom resource with {@code scale}) in the API server's discovery of its
 * group-version, as upstream's scale client maps kinds through discovery.
 */
final class ScaleTargets {

  private static final ResourceRegistry BUILT_IN = BuiltInResources.registry();

  private final KubeClient client;

  ScaleTargets(KubeClient client) {
    this.client = client;
  }

  /** The target's Scale (autoscaling/v1) as JSON. */
  Mono<ObjectNode> get(String namespace, CrossVersionObjectReference ref) {
    return path(namespace, ref)
        .flatMap(client::getPath)
        .map(body -> (ObjectNode) client.mapper().readTree(body));
  }

  /** Writes {@code scale} back with {@code spec.replicas} set (conditional on its version). */
  Mono<ObjectNode> update(
      String namespace, CrossVersionObjectReference ref, ObjectNode scale, int replicas) {
    ObjectNode body = scale.deepCopy();
    ((ObjectNode) body.path("spec")).put("replicas", replicas);
    return path(namespace, ref)
        .flatMap(p -> client.putPath(p, client.mapper().writeValueAsString(body)))
        .map(answer -> (ObjectNode) client.mapper().readTree(answer));
  }

  private Mono<String> path(String namespace, CrossVersionObjectReference ref) {
    String apiVersion = ref.getApiVersion() == null ? "" : ref.getApiVersion();
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String version =
        apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
    String prefix = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    Mono<String> plural =
        BUILT_IN
            .findByKind(apiVersion, ref.getKind())
            .map(ResourceType::plural)
            .map(Mono::just)
            .orElseGet(() -> discover(prefix, ref.getKind()));
    return plural.map(
        p -> prefix + "/namespaces/" + namespace + "/" + p + "/" + ref.getName() + "/scale");
  }

  private Mono<String> discover(String prefix, String kind) {
    return client
        .getPath(prefix)
        .flatMap(
            body -> {
              for (JsonNode r : client.mapper().readTree(body).path("resources")) {
                String name = r.path("name").asString("");
                if (kind.equals(r.path("kind").asString("")) && !name.contains("/")) {
                  return Mono.just(name);
                }
              }
              return Mono.error(
                  new NotFoundException("no matches for kind \"" + kind + "\" in " + prefix));
            });
  }
}
