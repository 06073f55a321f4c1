package io.nauta.api.admission;

import io.nauta.api.cache.WatchCaches;
import io.nauta.api.storage.RedisObjectStore;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import io.nauta.core.validation.IngressValidation;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' {@code DefaultIngressClass} admission plugin: a new Ingress with neither {@code
 * spec.ingressClassName} nor the older {@code kubernetes.io/ingress.class} annotation gets the name
 * of the IngressClass annotated {@value #IS_DEFAULT_CLASS}{@code : "true"} (with several, the
 * newest, then the first by name); without a default class it is left without one. Only on create,
 * as upstream. {@code nauta.admission.default-ingress-class.enabled=false} turns it off.
 */
@Component
public class DefaultIngressClass {

  public static final String IS_DEFAULT_CLASS = "ingressclass.kubernetes.io/is-default-class";

  private final NamespaceObjects classes;
  private final boolean enabled;

  public DefaultIngressClass(
      RedisObjectStore store,
      WatchCaches caches,
      @Value("${nauta.admission.default-ingress-class.enabled:true}") boolean enabled) {
    this.classes = new NamespaceObjects(store, caches);
    this.enabled = enabled;
  }

  /** Whether an IngressClass is marked as the cluster's default. */
  public static boolean isDefault(JsonNode ingressClass) {
    return "true"
        .equals(
            ingressClass.path("metadata").path("annotations").path(IS_DEFAULT_CLASS).asString(""));
  }

  /** Fills the class of a new Ingress that names none. */
  public Mono<Void> admitCreate(ResourceType type, ObjectNode obj) {
    if (!enabled || type != BuiltInResources.INGRESSES) {
      return Mono.empty();
    }
    JsonNode name = obj.path("spec").get("ingressClassName");
    if (name != null && !name.isNull()
        || obj.path("metadata").path("annotations").has(IngressValidation.CLASS_ANNOTATION)) {
      return Mono.empty();
    }
    return DefaultClasses.current(
            classes, BuiltInResources.INGRESS_CLASSES, DefaultIngressClass::isDefault)
        .doOnNext(cls -> Defaults.object(obj, "spec").put("ingressClassName", cls))
        .then();
  }
}
