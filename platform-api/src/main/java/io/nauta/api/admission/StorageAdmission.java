package io.nauta.api.admission;

import io.nauta.api.cache.CachedObject;
import io.nauta.api.cache.WatchCaches;
import io.nauta.api.resource.Meta;
import io.nauta.api.resource.ObjectCodec;
import io.nauta.api.storage.RedisObjectStore;
import io.nauta.core.errors.ForbiddenException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import io.nauta.core.storage.StorageClasses;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' storage admission plugins:
 *
 * <ul>
 *   <li>{@code DefaultStorageClass}: a new claim without a class (no {@code storageClassName} at
 *       all, not {@code ""}, and no beta class annotation) gets the default class's name; with
 *       several defaults the newest, then the first by name ({@code GetDefaultClass});
 *   <li>{@code StorageObjectInUseProtection}: new claims get the finalizer {@value
 *       #PVC_PROTECTION}, new volumes {@value #PV_PROTECTION}, which the controller manager lifts
 *       when no pod uses them;
 *   <li>{@code PersistentVolumeClaimResize}: a bigger storage request is refused (403) unless the
 *       claim is bound and its class allows expansion.
 * </ul>
 *
 * Each can be turned off ({@code nauta.admission.*.enabled=false}) as leaving it out of
 * kube-apiserver's admission plugins does.
 */
@Component
public class StorageAdmission {

  public static final String PVC_PROTECTION = "kubernetes.io/pvc-protection";
  public static final String PV_PROTECTION = "kubernetes.io/pv-protection";

  private final RedisObjectStore store;
  private final NamespaceObjects classes;
  private final ObjectCodec codec;
  private final boolean defaultClass;
  private final boolean protection;
  private final boolean resize;

  public StorageAdmission(
      RedisObjectStore store,
      WatchCaches caches,
      ObjectCodec codec,
      @Value("${nauta.admission.default-storage-class.enabled:true}") boolean defaultClass,
      @Value("${nauta.admission.storage-object-in-use-protection.enabled:true}") boolean protection,
      @Value("${nauta.admission.persistent-volume-claim-resize.enabled:true}") boolean resize) {
    this.store = store;
    this.classes = new NamespaceObjects(store, caches);
    this.codec = codec;
    this.defaultClass = defaultClass;
    this.protection = protection;
    this.resize = resize;
  }

  /** Admits a new object: claims get the default class, claims and volumes their finalizer. */
  public Mono<Void> admitCreate(ResourceType type, ObjectNode obj) {
    if (type == BuiltInResources.PERSISTENT_VOLUMES) {
      if (protection) {
        addFinalizer(obj, PV_PROTECTION);
      }
      return Mono.empty();
    }
    if (type != BuiltInResources.PERSISTENT_VOLUME_CLAIMS) {
      return Mono.empty();
    }
    if (protection) {
      addFinalizer(obj, PVC_PROTECTION);
    }
    if (!defaultClass || hasClass(obj)) {
      return Mono.empty();
    }
    return defaultClass()
        .doOnNext(name -> Defaults.object(obj, "spec").put("storageClassName", name))
        .then();
  }

  /**
   * Checks an update of a claim that survived validation ({@code PersistentVolumeClaimResize}): a
   * bigger storage request needs a bound claim whose class allows expansion.
   */
  public Mono<Void> validateUpdate(ResourceType type, ObjectNode claim, ObjectNode old) {
    if (!resize || type != BuiltInResources.PERSISTENT_VOLUME_CLAIMS) {
      return Mono.empty();
    }
    BigDecimal now = storage(claim);
    BigDecimal was = storage(old);
    if (now.compareTo(was) <= 0) {
      return Mono.empty();
    }
    if (!"Bound".equals(old.path("status").path("phase").asString(""))) {
      return Mono.error(forbidden(claim, "Only bound persistent volume claims can be expanded"));
    }
    String cls = StorageClasses.classOf(claim);
    String oldCls = StorageClasses.classOf(old);
    ForbiddenException refused =
        forbidden(
            claim,
            "only dynamically provisioned pvc can be resized and the storageclass that provisions"
                + " the pvc must support resize");
    if (cls.isEmpty() || !cls.equals(oldCls)) {
      return Mono.error(refused);
    }
    return store
        .get(BuiltInResources.STORAGE_CLASSES, null, cls)
        .map(s -> codec.parseStored(s.json()))
        .filter(sc -> sc.path("allowVolumeExpansion").asBoolean(false))
        .switchIfEmpty(Mono.error(refused))
        .then();
  }

  private static ForbiddenException forbidden(ObjectNode claim, String why) {
    ResourceRef ref = new ResourceRef("", "persistentvolumeclaims", Meta.name(claim));
    return new ForbiddenException(ref.describe() + " is forbidden: " + why, ref);
  }

  private static BigDecimal storage(ObjectNode claim) {
    String text =
        claim.path("spec").path("resources").path("requests").path("storage").asString("");
    try {
      return io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(
          new io.fabric8.kubernetes.api.model.Quantity(text));
    } catch (RuntimeException e) {
      return BigDecimal.ZERO; // validation refused it already
    }
  }

  /** {@code PersistentVolumeClaimHasClass}: the annotation, or the field set (even to ""). */
  private static boolean hasClass(ObjectNode claim) {
    if (claim.path("metadata").path("annotations").has(StorageClasses.BETA_STORAGE_CLASS)) {
      return true;
    }
    JsonNode name = claim.path("spec").get("storageClassName");
    return name != null && !name.isNull();
  }

  private static void addFinalizer(ObjectNode obj, String finalizer) {
    ObjectNode meta = Meta.of(obj);
    ArrayNode finalizers =
        meta.get("finalizers") instanceof ArrayNode a ? a : meta.putArray("finalizers");
    for (JsonNode f : finalizers) {
      if (finalizer.equals(f.asString(""))) {
        return;
      }
    }
    finalizers.add(finalizer);
  }

  private Mono<String> defaultClass() {
    return DefaultClasses.current(
        classes, BuiltInResources.STORAGE_CLASSES, StorageClasses::isDefault);
  }

  /** Newest first, then by name, as {@code GetDefaultClass} sorts the default classes. */
  static Optional<String> newestDefault(List<CachedObject> classes) {
    return DefaultClasses.newest(classes, StorageClasses::isDefault);
  }
}
