package io.nauta.agent.app;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.nauta.agent.runtime.PodInputs;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The runtime's API objects from the API server: ConfigMaps, Secrets, claims and their volumes by a
 * GET each time a pod is synced (the kubelet's "Get" strategy; always current, and a pod syncs
 * rarely), Services from an informer's cache, as the kubelet's service lister has them.
 */
final class ApiPodInputs implements PodInputs {

  private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(10);

  private final ResourceClient<ConfigMap> configMaps;
  private final ResourceClient<Secret> secrets;
  private final ResourceClient<PersistentVolumeClaim> claims;
  private final ResourceClient<PersistentVolume> volumes;
  private final SharedInformer<Service> services;
  private final KubeClient client;

  ApiPodInputs(KubeClient client, SharedInformer<Service> services) {
    this.client = client;
    this.configMaps = client.resource(BuiltInResources.CONFIGMAPS, ConfigMap.class);
    this.secrets = client.resource(BuiltInResources.SECRETS, Secret.class);
    this.claims =
        client.resource(BuiltInResources.PERSISTENT_VOLUME_CLAIMS, PersistentVolumeClaim.class);
    this.volumes = client.resource(BuiltInResources.PERSISTENT_VOLUMES, PersistentVolume.class);
    this.services = services;
  }

  @Override
  public Mono<PersistentVolumeClaim> persistentVolumeClaim(String namespace, String name) {
    return claims.get(namespace, name).onErrorResume(NotFoundException.class, e -> Mono.empty());
  }

  @Override
  public Mono<PersistentVolume> persistentVolume(String name) {
    return volumes.get(null, name).onErrorResume(NotFoundException.class, e -> Mono.empty());
  }

  @Override
  public Mono<ConfigMap> configMap(String namespace, String name) {
    return configMaps
        .get(namespace, name)
        .onErrorResume(NotFoundException.class, e -> Mono.empty());
  }

  @Override
  public Mono<Secret> secret(String namespace, String name) {
    return secrets.get(namespace, name).onErrorResume(NotFoundException.class, e -> Mono.empty());
  }

  @Override
  public Mono<TokenRequest> serviceAccountToken(
      String namespace, String serviceAccount, TokenRequest request) {
    return client.requestToken(namespace, serviceAccount, request);
  }

  /** Waits (a while) for the informer's first list, as the kubelet refuses to guess. */
  @Override
  public Mono<List<Service>> services(String namespace) {
    return services
        .synced()
        .timeout(
            SYNC_TIMEOUT,
            Mono.error(
                new IllegalStateException(
                    "services have not yet been read at least once, cannot construct envvars")))
        .then(
            Mono.fromSupplier(
                () -> {
                  List<Service> result =
                      new ArrayList<>(
                          services.store().byIndex(InformerStore.BY_NAMESPACE, namespace));
                  if (!"default".equals(namespace)) {
                    services.store().get("default", "kubernetes").ifPresent(result::add);
                  }
                  return result;
                }));
  }
}
