package io.nauta.agent.runtime;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Where a runtime reads the API objects a pod's containers are made from (ConfigMaps and Secrets
 * for env and volumes, Services for the service environment variables, service account tokens for
 * projected volumes, claims and their volumes for persistentVolumeClaim volumes), so the runtime
 * needs no API client. The agent implements it with its client and a Service informer.
 */
public interface PodInputs {

  /** Knows no object: every reference is missing (runtimes driven without an API server). */
  PodInputs NONE =
      new PodInputs() {
        @Override
        public Mono<ConfigMap> configMap(String namespace, String name) {
          return Mono.empty();
        }

        @Override
        public Mono<Secret> secret(String namespace, String name) {
          return Mono.empty();
        }

        @Override
        public Mono<List<Service>> services(String namespace) {
          return Mono.just(List.of());
        }
      };

  /** The ConfigMap, or empty if it does not exist; an error for any other failure. */
  Mono<ConfigMap> configMap(String namespace, String name);

  /** The Secret, or empty if it does not exist; an error for any other failure. */
  Mono<Secret> secret(String namespace, String name);

  /**
   * The Services of {@code namespace} plus the {@code kubernetes} Service of {@code default}, as a
   * cache has them now (the kubelet builds the service environment from its informer's lister).
   */
  Mono<List<Service>> services(String namespace);

  /**
   * The PersistentVolumeClaim, or empty if it does not exist; an error for any other failure.
   * Without an API server no claim exists.
   */
  default Mono<PersistentVolumeClaim> persistentVolumeClaim(String namespace, String name) {
    return Mono.empty();
  }

  /** The PersistentVolume, or empty if it does not exist; an error for any other failure. */
  default Mono<PersistentVolume> persistentVolume(String name) {
    return Mono.empty();
  }

  /**
   * A token of the service account {@code serviceAccount} in {@code namespace} (TokenRequest: the
   * answer carries the token and its expiry). Without an API server there is none to ask.
   */
  default Mono<TokenRequest> serviceAccountToken(
      String namespace, String serviceAccount, TokenRequest request) {
    return Mono.error(
        new IllegalStateException("no API server to request a service account token from"));
  }
}
