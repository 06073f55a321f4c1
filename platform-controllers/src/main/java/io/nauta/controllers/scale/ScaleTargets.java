package io.nauta.controllers.scale;

import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.nauta.core.client.KubeClient;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceRegistry;
import io.nauta.core.registry.ResourceType;
import java.util.Optional;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code scale} subresource of whatever an autoscaler targets: a built-in kind found in the
 * registry, any other (a custom resource with {@code scale}) in the API server's discovery of its
 * group-version, as upstream's scale client maps kinds through discovery. Used by the autoscaler
 * (its target) and the disruption controller (a pod's controller that is no built-in workload).
 */
public final class ScaleTargets {

  private static final ResourceRegistry BUILT_IN = BuiltInResources.registry();

  private final KubeClient client;

  public ScaleTargets(KubeClient client) {
    this.client = client;
  }

  /** The target's Scale (autoscaling/v1) as JSON. */
  public Mono<ObjectNode> get(String namespace, CrossVersionObjectReference ref) {
    return path(namespace, ref)
        .flatMap(client::getPath)
        .map(body -> (ObjectNode) client.mapper().readTree(body));
  }

  /** Writes {@code scale} back with {@code spec.replicas} set (conditional on its version). */
  public Mono<ObjectNode> update(
      String namespace, CrossVersionObjectReference ref, ObjectNode scale, int replicas) {
    ObjectNode body = scale.deepCopy();
    ((ObjectNode) body.path("spec")).put("replicas", replicas);
    return path(namespace, ref)
        .flatMap(p -> client.putPath(p, client.mapper().writeValueAsString(body)))
        .map(answer -> (ObjectNode) client.mapper().readTree(answer));
  }

  /**
   * The Scale of the object {@code ref} names, empty when there is no such object; an error ({@link
   * NoScaleException}) when its kind has no {@code scale} subresource — a 404 means either, so
   * discovery tells which, as upstream's disruption controller does ({@code implementsScale}).
   */
  public Mono<Optional<ObjectNode>> find(String namespace, CrossVersionObjectReference ref) {
    return get(namespace, ref)
        .map(Optional::of)
        .onErrorResume(
            NotFoundException.class,
            missing -> implementsScale(ref).map(yes -> Optional.<ObjectNode>empty()));
  }

  /** Whether {@code ref}'s kind lists {@code <plural>/scale} in discovery, else the error. */
  private Mono<Boolean> implementsScale(CrossVersionObjectReference ref) {
    String prefix = prefix(ref);
    return plural(prefix, ref)
        .flatMap(
            plural ->
                client
                    .getPath(prefix)
                    .flatMap(
                        body -> {
                          for (JsonNode r : client.mapper().readTree(body).path("resources")) {
                            if ((plural + "/scale").equals(r.path("name").asString(""))
                                && "Scale".equals(r.path("kind").asString(""))) {
                              return Mono.just(true);
                            }
                          }
                          String group = group(ref);
                          return Mono.error(
                              new NoScaleException(
                                  (group.isEmpty() ? plural : plural + "." + group)
                                      + " does not implement the scale subresource"));
                        }));
  }

  /** A kind without the {@code scale} subresource was asked for its scale. */
  public static final class NoScaleException extends RuntimeException {
    NoScaleException(String message) {
      super(message, null, false, false);
    }
  }

  private static String apiVersion(CrossVersionObjectReference ref) {
    return ref.getApiVersion() == null ? "" : ref.getApiVersion();
  }

  private static String group(CrossVersionObjectReference ref) {
    String apiVersion = apiVersion(ref);
    return apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
  }

  private static String prefix(CrossVersionObjectReference ref) {
    String apiVersion = apiVersion(ref);
    String group = group(ref);
    String version =
        apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
    return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
  }

  private Mono<String> plural(String prefix, CrossVersionObjectReference ref) {
    return BUILT_IN
        .findByKind(apiVersion(ref), ref.getKind())
        .map(ResourceType::plural)
        .map(Mono::just)
        .orElseGet(() -> discover(prefix, ref.getKind()));
  }

  private Mono<String> path(String namespace, CrossVersionObjectReference ref) {
    String prefix = prefix(ref);
    return plural(prefix, ref)
        .map(p -> prefix + "/namespaces/" + namespace + "/" + p + "/" + ref.getName() + "/scale");
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
