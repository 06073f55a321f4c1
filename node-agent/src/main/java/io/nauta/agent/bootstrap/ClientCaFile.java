package io.nauta.agent.bootstrap;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.nauta.core.client.KubeClient;
import io.nauta.core.errors.ForbiddenException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.pki.Pem;
import io.nauta.core.registry.BuiltInResources;
import java.nio.file.Path;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The client CA, whose certificates the agent's port accepts (the API server's {@code
 * kube-apiserver-kubelet-client} one among them), read from where kube-apiserver publishes it: the
 * {@code client-ca-file} key of ConfigMap {@code kube-system/extension-apiserver-authentication},
 * which nodes may read. The kubelet is given it as {@code --client-ca-file}; an agent joined with a
 * token alone fetches it, and fetches it again at every start (a CA made anew is picked up).
 */
final class ClientCaFile {

  static final String NAMESPACE = "kube-system";
  static final String NAME = "extension-apiserver-authentication";
  static final String KEY = "client-ca-file";

  private ClientCaFile() {}

  /** Writes the published client CA to {@code file}. */
  static Mono<Void> fetch(KubeClient asNode, Path file) {
    return asNode
        .resource(BuiltInResources.CONFIGMAPS, ConfigMap.class)
        .get(NAMESPACE, NAME)
        // The API server publishes it at start: a moment's absence is no refusal.
        .retryWhen(
            Retry.fixedDelay(Long.MAX_VALUE, Duration.ofSeconds(1))
                .filter(e -> !(e instanceof ForbiddenException)))
        .flatMap(
            cm -> {
              String pem = cm.getData() == null ? null : cm.getData().get(KEY);
              if (pem == null || pem.isBlank()) {
                return Mono.error(
                    new NotFoundException(
                        "ConfigMap " + NAMESPACE + "/" + NAME + " has no " + KEY));
              }
              Pem.writePublic(file, pem);
              return Mono.<Void>empty();
            });
  }
}
