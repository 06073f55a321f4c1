package io.nauta.api.lifecycle;

import io.nauta.api.cache.WatchCaches;
import io.nauta.api.resource.ResourceService;
import io.nauta.api.storage.RedisObjectStore;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.storage.StorageClasses;
import java.time.Duration;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The cluster's default StorageClass {@value #NAME}: node-local volumes made by the node agent's
 * provisioner {@value #PROVISIONER} once a pod using the claim is scheduled ({@code
 * WaitForFirstConsumer}), deleted with their claim. Created as {@link BootstrapClass} says, while
 * no storage class was ever written ({@code nauta.storage.default-class.enabled=false} leaves the
 * class out).
 */
@Component
public class DefaultStorageClass extends BootstrapClass {

  public static final String NAME = "nauta-local";
  public static final String PROVISIONER = "nauta.io/local-volume";

  public DefaultStorageClass(
      ResourceService service,
      RedisObjectStore store,
      WatchCaches caches,
      @Value("${nauta.storage.default-class.enabled:true}") boolean enabled,
      @Value("${nauta.system-namespaces.recheck-period:1m}") Duration recheckPeriod) {
    super(
        service,
        store,
        caches,
        BuiltInResources.STORAGE_CLASSES,
        enabled,
        recheckPeriod,
        LoggerFactory.getLogger(DefaultStorageClass.class));
  }

  /** The class as the server creates it. */
  public static ObjectNode desired() {
    ObjectNode sc = JsonNodeFactory.instance.objectNode();
    sc.put("apiVersion", "storage.k8s.io/v1").put("kind", "StorageClass");
    sc.putObject("metadata")
        .put("name", NAME)
        .putObject("annotations")
        .put(StorageClasses.DEFAULT_CLASS, "true");
    sc.put("provisioner", PROVISIONER);
    sc.put("reclaimPolicy", "Delete");
    sc.put("volumeBindingMode", "WaitForFirstConsumer");
    return sc;
  }

  @Override
  ObjectNode object() {
    return desired();
  }

  @Override
  public String name() {
    return "poststarthook/nauta-default-storage-class";
  }
}
