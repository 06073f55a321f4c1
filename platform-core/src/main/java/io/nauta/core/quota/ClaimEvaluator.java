package io.nauta.core.quota;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * PersistentVolumeClaims ({@code pvcEvaluator}): {@code persistentvolumeclaims}, {@code
 * count/persistentvolumeclaims}, {@code requests.storage}, and per class {@code
 * <class>.storageclass.storage.k8s.io/requests.storage} and {@code .../persistentvolumeclaims}.
 * Growing a claim charges the difference.
 */
public final class ClaimEvaluator implements UsageEvaluator {

  public static final String CLASS_SUFFIX = ".storageclass.storage.k8s.io/";
  private static final Set<String> RESOURCES =
      Set.of("persistentvolumeclaims", "count/persistentvolumeclaims", "requests.storage");

  @Override
  public String group() {
    return "";
  }

  @Override
  public String resource() {
    return "persistentvolumeclaims";
  }

  @Override
  public boolean matches(String name) {
    return RESOURCES.contains(name)
        || name.endsWith(CLASS_SUFFIX + "requests.storage")
        || name.endsWith(CLASS_SUFFIX + "persistentvolumeclaims");
  }

  @Override
  public boolean chargesUpdates() {
    return true;
  }

  @Override
  public Map<String, BigDecimal> usage(JsonNode pvc) {
    Map<String, BigDecimal> result = new TreeMap<>();
    result.put("persistentvolumeclaims", BigDecimal.ONE);
    result.put("count/persistentvolumeclaims", BigDecimal.ONE);
    String cls = storageClass(pvc);
    if (!cls.isEmpty()) {
      result.put(cls + CLASS_SUFFIX + "persistentvolumeclaims", BigDecimal.ONE);
    }
    JsonNode storage = pvc.path("spec").path("resources").path("requests").get("storage");
    if (storage != null) {
      BigDecimal amount = Quantities.amount(storage.asString(""));
      // A claim whose resize is under way is charged what the volume was given, if more.
      JsonNode allocated = pvc.path("status").path("allocatedResources").get("storage");
      if (allocated != null) {
        amount = amount.max(Quantities.amount(allocated.asString("")));
      }
      result.put("requests.storage", amount);
      if (!cls.isEmpty()) {
        result.put(cls + CLASS_SUFFIX + "requests.storage", amount);
      }
    }
    return result;
  }

  private static String storageClass(JsonNode pvc) {
    JsonNode beta =
        pvc.path("metadata").path("annotations").get("volume.beta.kubernetes.io/storage-class");
    if (beta != null && !beta.asString("").isEmpty()) {
      return beta.asString("");
    }
    return pvc.path("spec").path("storageClassName").asString("");
  }
}
