package io.nauta.api.security.bootstrap;

import io.nauta.api.resource.ResourceService;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.BuiltInResources;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One key of a ConfigMap the API server keeps as it should be, as kube-apiserver keeps the client
 * CA in {@code kube-system/extension-apiserver-authentication} ({@code client-ca-file}) and kubeadm
 * the cluster's address and CA in {@code kube-public/cluster-info} ({@code kubeconfig}): created
 * when missing, the key put back when it holds something else. Keys someone else wrote (kubeadm's
 * {@code jws-kubeconfig-<token id>}, Kubernetes' {@code requestheader-*}) are left as they are.
 */
final class PublishedConfigMap {

  private static final Logger log = LoggerFactory.getLogger(PublishedConfigMap.class);

  private final ResourceService service;
  private final String namespace;
  private final String name;
  private final String key;
  private final Supplier<String> value;

  /**
   * @param value what the key must hold, asked on every check
   */
  PublishedConfigMap(
      ResourceService service, String namespace, String name, String key, Supplier<String> value) {
    this.service = service;
    this.namespace = namespace;
    this.name = name;
    this.key = key;
    this.value = value;
  }

  /** Creates the ConfigMap, or puts the value back when the key holds another. */
  Mono<Void> ensure() {
    String wanted = value.get();
    return service
        .get(BuiltInResources.CONFIGMAPS, namespace, name)
        .flatMap(
            current -> {
              if (wanted.equals(current.path("data").path(key).asString(""))) {
                return Mono.empty();
              }
              log.info("publishing {} in {}/{}", key, namespace, name);
              return service
                  .guaranteedUpdate(
                      BuiltInResources.CONFIGMAPS,
                      namespace,
                      name,
                      null,
                      false,
                      cur -> withValue(cur, wanted))
                  .then();
            })
        .onErrorResume(
            NotFoundException.class,
            e ->
                service
                    .create(BuiltInResources.CONFIGMAPS, namespace, desired(wanted), false)
                    .then()
                    .onErrorResume(AlreadyExistsException.class, x -> Mono.empty()));
  }

  private ObjectNode desired(String wanted) {
    ObjectNode cm = JsonNodeFactory.instance.objectNode();
    cm.put("apiVersion", "v1").put("kind", "ConfigMap");
    cm.putObject("metadata").put("name", name).put("namespace", namespace);
    cm.putObject("data").put(key, wanted);
    return cm;
  }

  private ObjectNode withValue(ObjectNode current, String wanted) {
    ObjectNode data = current.get("data") instanceof ObjectNode d ? d : current.putObject("data");
    data.put(key, wanted);
    return current;
  }
}
