package io.nauta.api.lifecycle;

import io.nauta.api.admission.DefaultIngressClass;
import io.nauta.api.cache.WatchCaches;
import io.nauta.api.resource.ResourceService;
import io.nauta.api.storage.RedisObjectStore;
import io.nauta.core.registry.BuiltInResources;
import java.time.Duration;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The cluster's default IngressClass {@value #NAME} (controller {@value #CONTROLLER}), annotated as
 * the default so that Ingresses without a class get it. Created as {@link BootstrapClass} says,
 * while no ingress class was ever written ({@code nauta.ingress.default-class.enabled=false} leaves
 * it out). Nauta's ingress controller (module ingress-controller) serves it.
 */
@Component
public class DefaultIngressClassBootstrap extends BootstrapClass {

  public static final String NAME = "nauta";
  public static final String CONTROLLER = "nauta.io/ingress-controller";

  public DefaultIngressClassBootstrap(
      ResourceService service,
      RedisObjectStore store,
      WatchCaches caches,
      @Value("${nauta.ingress.default-class.enabled:true}") boolean enabled,
      @Value("${nauta.system-namespaces.recheck-period:1m}") Duration recheckPeriod) {
    super(
        service,
        store,
        caches,
        BuiltInResources.INGRESS_CLASSES,
        enabled,
        recheckPeriod,
        LoggerFactory.getLogger(DefaultIngressClassBootstrap.class));
  }

  /** The class as the server creates it. */
  public static ObjectNode desired() {
    ObjectNode ic = JsonNodeFactory.instance.objectNode();
    ic.put("apiVersion", "networking.k8s.io/v1").put("kind", "IngressClass");
    ic.putObject("metadata")
        .put("name", NAME)
        .putObject("annotations")
        .put(DefaultIngressClass.IS_DEFAULT_CLASS, "true");
    ic.putObject("spec").put("controller", CONTROLLER);
    return ic;
  }

  @Override
  ObjectNode object() {
    return desired();
  }

  @Override
  public String name() {
    return "poststarthook/nauta-default-ingress-class";
  }
}
