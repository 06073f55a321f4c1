package io.nauta.core.quota;

import java.util.Set;

/**
 * The resource names quotas know, as upstream's {@code pkg/apis/core/helper}: standard quota
 * resources, those counted in whole numbers, extended resources, quota scopes and which scopes may
 * apply to which resources.
 */
public final class QuotaResources {

  public static final Set<String> STANDARD_QUOTA =
      Set.of(
          "cpu",
          "memory",
          "ephemeral-storage",
          "requests.cpu",
          "requests.memory",
          "requests.storage",
          "requests.ephemeral-storage",
          "limits.cpu",
          "limits.memory",
          "limits.ephemeral-storage",
          "pods",
          "resourcequotas",
          "services",
          "replicationcontrollers",
          "secrets",
          "persistentvolumeclaims",
          "configmaps",
          "services.nodeports",
          "services.loadbalancers");

  /** Names any resource list may carry ({@code IsStandardResourceName}). */
  public static final Set<String> STANDARD =
      Set.of(
          "cpu",
          "memory",
          "ephemeral-storage",
          "requests.cpu",
          "requests.memory",
          "requests.ephemeral-storage",
          "limits.cpu",
          "limits.memory",
          "limits.ephemeral-storage",
          "pods",
          "resourcequotas",
          "services",
          "replicationcontrollers",
          "secrets",
          "configmaps",
          "persistentvolumeclaims",
          "storage",
          "requests.storage",
          "services.nodeports",
          "services.loadbalancers");

  private static final Set<String> INTEGER =
      Set.of(
          "pods",
          "resourcequotas",
          "services",
          "replicationcontrollers",
          "secrets",
          "configmaps",
          "persistentvolumeclaims",
          "services.nodeports",
          "services.loadbalancers");

  public static final Set<String> SCOPES =
      Set.of("Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass");

  private static final Set<String> POD_COMPUTE =
      Set.of("cpu", "memory", "limits.cpu", "limits.memory", "requests.cpu", "requests.memory");

  private QuotaResources() {}

  public static boolean isHugePages(String name) {
    return name.startsWith("hugepages-") || name.startsWith("requests.hugepages-");
  }

  public static boolean isStandardQuota(String name) {
    return STANDARD_QUOTA.contains(name) || isHugePages(name);
  }

  public static boolean isStandard(String name) {
    return STANDARD.contains(name) || isHugePages(name);
  }

  /** Names in {@code kubernetes.io}'s namespace: unqualified, or containing kubernetes.io/. */
  public static boolean isNative(String name) {
    return !name.contains("/") || name.contains("kubernetes.io/");
  }

  /**
   * {@code IsExtendedResourceName}: qualified, not native, not already {@code requests.}-prefixed.
   */
  public static boolean isExtended(String name) {
    if (isNative(name) || name.startsWith("requests.")) {
      return false;
    }
    return io.nauta.core.validation.NameValidation.qualifiedName("requests." + name).isEmpty();
  }

  /** Counted in whole numbers: object counts and extended resources. */
  public static boolean isInteger(String name) {
    return INTEGER.contains(name) || isExtended(name) || name.startsWith("count/");
  }

  /** {@code IsResourceQuotaScopeValidForResource}. */
  public static boolean scopeValidFor(String scope, String resource) {
    return switch (scope) {
      case "Terminating", "NotTerminating", "NotBestEffort", "PriorityClass" ->
          "pods".equals(resource) || POD_COMPUTE.contains(resource);
      case "BestEffort" -> "pods".equals(resource);
      default -> true;
    };
  }
}
