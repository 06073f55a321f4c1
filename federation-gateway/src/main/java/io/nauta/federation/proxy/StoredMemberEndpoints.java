package io.nauta.federation.proxy;

import io.nauta.api.resource.ResourceService;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.errors.ServiceUnavailableException;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceRegistry;
import io.nauta.core.registry.ResourceType;
import io.nauta.federation.api.Karmada;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Reads a member's endpoint from the gateway's own storage on every call: the Cluster ({@code
 * spec.apiEndpoint}, {@code spec.secretRef}, {@code spec.impersonatorSecretRef}, {@code
 * spec.insecureSkipTLSVerification}) and its Secrets (Karmada's keys {@code token} and {@code
 * caBundle}), so a changed Cluster or rotated token takes effect with the next request. The token
 * is the impersonator's when the Cluster names an impersonator Secret, as Karmada's proxy uses it,
 * else the one in {@code secretRef}.
 */
public final class StoredMemberEndpoints implements MemberEndpoints {

  private final ResourceService resources;
  private final ResourceRegistry registry;

  public StoredMemberEndpoints(ResourceService resources, ResourceRegistry registry) {
    this.resources = resources;
    this.registry = registry;
  }

  @Override
  public Mono<MemberEndpoint> endpoint(String cluster) {
    ResourceRef ref = new ResourceRef(Karmada.CLUSTER_GROUP, Karmada.CLUSTERS, cluster);
    ResourceType clusters =
        registry
            .find(Karmada.CLUSTER_GROUP, Karmada.CLUSTER_VERSION, Karmada.CLUSTERS)
            .orElseThrow(() -> NotFoundException.of(ref));
    return resources
        .get(clusters, null, cluster)
        .flatMap(
            obj -> {
              JsonNode spec = obj.path("spec");
              String server = spec.path("apiEndpoint").asString("");
              if (server.isBlank()) {
                return Mono.error(unavailable(cluster, "its spec.apiEndpoint is empty", ref));
              }
              JsonNode secretRef = spec.path("secretRef");
              JsonNode impersonatorRef = spec.path("impersonatorSecretRef");
              boolean insecure = spec.path("insecureSkipTLSVerification").asBoolean(false);
              Mono<JsonNode> secret =
                  secretRef.isObject() ? secret(secretRef, cluster, ref) : Mono.empty();
              Mono<String> impersonatorToken =
                  impersonatorRef.isObject()
                      ? secret(impersonatorRef, cluster, ref).map(s -> data(s, "token"))
                      : Mono.just("");
              return secret
                  .defaultIfEmpty(obj.objectNode())
                  .zipWith(impersonatorToken)
                  .map(
                      t -> {
                        String token = t.getT2().isEmpty() ? data(t.getT1(), "token") : t.getT2();
                        String ca = data(t.getT1(), "caBundle");
                        if (token.isEmpty()) {
                          throw unavailable(cluster, "no token in its secretRef", ref);
                        }
                        return new MemberEndpoint(
                            cluster, server, token, ca.isEmpty() ? null : ca, insecure);
                      });
            });
  }

  private Mono<JsonNode> secret(JsonNode secretRef, String cluster, ResourceRef ref) {
    String namespace = secretRef.path("namespace").asString("");
    String name = secretRef.path("name").asString("");
    return resources
        .get(BuiltInResources.SECRETS, namespace, name)
        .map(JsonNode.class::cast)
        .onErrorMap(
            NotFoundException.class,
            e -> unavailable(cluster, "its Secret " + namespace + "/" + name + " is missing", ref));
  }

  private static String data(JsonNode secret, String key) {
    JsonNode value = secret.path("data").path(key);
    if (value.isString()) {
      return new String(Base64.getDecoder().decode(value.asString()), StandardCharsets.UTF_8);
    }
    return secret.path("stringData").path(key).asString("");
  }

  private static ServiceUnavailableException unavailable(
      String cluster, String why, ResourceRef ref) {
    return new ServiceUnavailableException(
        "cannot proxy to cluster \"" + cluster + "\": " + why, ref);
  }
}
