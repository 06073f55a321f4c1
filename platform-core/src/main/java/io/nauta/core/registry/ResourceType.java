package io.nauta.core.registry;

import java.util.List;
import java.util.Set;

/**
 * Everything the API server needs to know about one served resource. Routing, discovery, storage
 * keys and (later) OpenAPI are all driven from these entries, so serving a new kind is one entry
 * plus its strategy.
 *
 * @param group API group, {@code ""} for the core group
 * @param version e.g. {@code v1}
 * @param kind e.g. {@code Pod}
 * @param plural the resource name in paths, e.g. {@code pods}
 * @param singular e.g. {@code pod}
 * @param namespaced whether objects live in a namespace
 * @param shortNames kubectl's short names, e.g. {@code po}
 * @param categories e.g. {@code all}
 * @param subresources e.g. {@code status}, {@code binding}, {@code scale}
 * @param modelClass the fabric8 model class used to validate and describe the kind
 * @param verbs what the resource supports, as discovery lists them and authorization names them:
 *     {@link #VERBS} for stored kinds, {@code create} alone for the reviews the server answers
 *     without storing anything (SubjectAccessReview)
 */
public record ResourceType(
    String group,
    String version,
    String kind,
    String plural,
    String singular,
    boolean namespaced,
    List<String> shortNames,
    List<String> categories,
    Set<String> subresources,
    Class<?> modelClass,
    List<String> verbs) {

  /** The verbs every stored resource supports, as discovery lists them. */
  public static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /** Reviews: answered from the request alone, never stored, listed or watched. */
  public static final List<String> CREATE_ONLY = List.of("create");

  /**
   * Read from memory, never stored nor watched (metrics.k8s.io's NodeMetrics and PodMetrics, as
   * metrics-server serves them).
   */
  public static final List<String> READ_ONLY = List.of("get", "list");

  /** A stored kind, serving every verb of {@link #VERBS}. */
  public ResourceType(
      String group,
      String version,
      String kind,
      String plural,
      String singular,
      boolean namespaced,
      List<String> shortNames,
      List<String> categories,
      Set<String> subresources,
      Class<?> modelClass) {
    this(
        group,
        version,
        kind,
        plural,
        singular,
        namespaced,
        shortNames,
        categories,
        subresources,
        modelClass,
        VERBS);
  }

  /**
   * Whether objects of this kind are only posted and answered, never stored (the reviews): such
   * kinds get no storage, watch cache, list or item paths.
   */
  public boolean createOnly() {
    return verbs.equals(CREATE_ONLY);
  }

  /**
   * Whether objects of this kind live in the store (Redis, a watch cache): false for the reviews
   * and for kinds answered from memory ({@link #READ_ONLY}).
   */
  public boolean stored() {
    return !createOnly() && !verbs.equals(READ_ONLY);
  }

  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  public String listKind() {
    return kind + "List";
  }

  /** {@code pods} for the core group, {@code deployments.apps} otherwise: the storage key part. */
  public String groupResource() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  public boolean hasSubresource(String name) {
    return subresources.contains(name);
  }

  /** Path prefix of the group-version: {@code /api/v1} or {@code /apis/apps/v1}. */
  public String groupVersionPath() {
    return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
  }
}
