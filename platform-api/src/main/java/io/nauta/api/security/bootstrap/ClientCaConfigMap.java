package io.nauta.api.security.bootstrap;

import io.nauta.api.resource.ResourceService;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.pki.ClusterPki;
import io.nauta.core.pki.Pem;
import io.nauta.core.registry.BuiltInResources;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Publishes the client CA as kube-apiserver does: ConfigMap {@code
 * kube-system/extension-apiserver-authentication}, key {@code client-ca-file}, the PEM of the CA
 * that signs client certificates. Whoever serves requests from the API server (a node agent on
 * another host that joined with a token) reads it to authenticate the API server's client
 * certificate. Kubernetes also writes {@code requestheader-*} keys for its front proxy, which Nauta
 * has not; keys someone else wrote are left as they are.
 */
final class ClientCaConfigMap {

  static final String KEY = "client-ca-file";

  private static final Logger log = LoggerFactory.getLogger(ClientCaConfigMap.class);

  private final ResourceService service;
  private final Optional<ClusterPki> pki;

  ClientCaConfigMap(ResourceService service, Optional<ClusterPki> pki) {
    this.service = service;
    this.pki = pki;
  }

  /** Creates the ConfigMap, or puts the client CA back when it holds another; nothing w/o PKI. */
  Mono<Void> ensure() {
    if (pki.isEmpty()) {
      return Mono.empty(); // security off: no client CA to publish
    }
    String ca = Pem.read(pki.get().clientCaCertificate());
    String ns = BootstrapPolicy.SYSTEM_NAMESPACE;
    String name = BootstrapPolicy.AUTHENTICATION_CONFIG_MAP;
    return service
        .get(BuiltInResources.CONFIGMAPS, ns, name)
        .flatMap(
            current -> {
              if (ca.equals(current.path("data").path(KEY).asString(""))) {
                return Mono.empty();
              }
              log.info("publishing the client CA in {}/{}", ns, name);
              return service
                  .guaranteedUpdate(
                      BuiltInResources.CONFIGMAPS, ns, name, null, false, cur -> withCa(cur, ca))
                  .then();
            })
        .onErrorResume(
            NotFoundException.class,
            e ->
                service
                    .create(BuiltInResources.CONFIGMAPS, ns, desired(ca), false)
                    .then()
                    .onErrorResume(AlreadyExistsException.class, x -> Mono.empty()));
  }

  private static ObjectNode desired(String ca) {
    ObjectNode cm = JsonNodeFactory.instance.objectNode();
    cm.put("apiVersion", "v1").put("kind", "ConfigMap");
    cm.putObject("metadata")
        .put("name", BootstrapPolicy.AUTHENTICATION_CONFIG_MAP)
        .put("namespace", BootstrapPolicy.SYSTEM_NAMESPACE);
    cm.putObject("data").put(KEY, ca);
    return cm;
  }

  private static ObjectNode withCa(ObjectNode current, String ca) {
    ObjectNode data = current.get("data") instanceof ObjectNode d ? d : current.putObject("data");
    data.put(KEY, ca);
    return current;
  }
}
