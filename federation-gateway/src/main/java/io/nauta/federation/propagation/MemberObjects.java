package io.nauta.federation.propagation;

import io.nauta.federation.api.Karmada;
import io.nauta.federation.overrides.AppliedOverrides;
import io.nauta.federation.overrides.OverridePolicies;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The object the gateway writes into a member for one binding, built as Karmada's binding and
 * execution controllers build a Work's manifest and apply it: the template without what its API
 * server set ({@code prune.RemoveIrrelevantFields}), the cluster's replicas, the overrides, then
 * the labels and annotations that name the binding and template. On update the member's own fields
 * are kept (resourceVersion, finalizers, owner references, a Service's cluster IPs, a PVC's volume,
 * a Job's generated selector, labels and annotations its controllers added).
 */
public final class MemberObjects {

  private static final List<String> SERVER_METADATA =
      List.of(
          "creationTimestamp",
          "deletionTimestamp",
          "deletionGracePeriodSeconds",
          "generation",
          "managedFields",
          "resourceVersion",
          "selfLink",
          "uid",
          "ownerReferences",
          "finalizers");

  private MemberObjects() {}

  /** Who the member object belongs to: the binding and the template it was made from. */
  public record Owner(
      String bindingNamespace, String bindingName, String permanentId, String conflictResolution) {}

  /**
   * The template without the fields its API server set and that must not (or cannot) be written
   * into another cluster.
   */
  public static ObjectNode prune(JsonNode template) {
    ObjectNode o = ((ObjectNode) template).deepCopy();
    o.remove("status");
    JsonNode metadata = o.get("metadata");
    if (metadata instanceof ObjectNode m) {
      SERVER_METADATA.forEach(m::remove);
    }
    String kind = o.path("kind").asString("");
    switch (kind) {
      case "Deployment" -> {
        if (o.path("metadata").get("annotations") instanceof ObjectNode a) {
          a.remove("deployment.kubernetes.io/revision");
          a.remove("deployment.kubernetes.io/revision-history");
        }
      }
      case "Job" -> {
        if (o.path("spec") instanceof ObjectNode spec) {
          // The member's ttl-after-finished controller would delete it under the gateway.
          spec.remove("ttlSecondsAfterFinished");
          if (!spec.path("manualSelector").asBoolean(false)) {
            removeKeys(
                spec.path("selector").get("matchLabels"),
                "controller-uid",
                "batch.kubernetes.io/controller-uid");
            removeKeys(
                spec.path("template").path("metadata").get("labels"),
                "controller-uid",
                "job-name",
                "batch.kubernetes.io/controller-uid",
                "batch.kubernetes.io/job-name");
          }
        }
      }
      case "Service" -> {
        if (o.path("spec") instanceof ObjectNode spec
            && spec.has("clusterIP")
            && !"None".equals(spec.path("clusterIP").asString(""))) {
          spec.remove("clusterIP");
          spec.remove("clusterIPs");
        }
      }
      case "ServiceAccount" -> {
        String prefix = o.path("metadata").path("name").asString("") + "-token-";
        if (o.get("secrets") instanceof ArrayNode secrets) {
          for (Iterator<JsonNode> it = secrets.values().iterator(); it.hasNext(); ) {
            if (it.next().path("name").asString("").startsWith(prefix)) {
              it.remove();
            }
          }
        }
      }
      case "PersistentVolumeClaim" -> {
        if (o.path("spec") instanceof ObjectNode spec) {
          spec.remove("volumeName");
        }
        if (o.path("metadata").get("annotations") instanceof ObjectNode a) {
          a.remove("pv.kubernetes.io/bind-completed");
          a.remove("pv.kubernetes.io/bound-by-controller");
          a.remove("volume.kubernetes.io/selected-node");
        }
      }
      default -> {}
    }
    return o;
  }

  /**
   * Sets the cluster's share of a workload's replicas (Karmada's {@code ReviseReplica}): {@code
   * spec.replicas}, or {@code spec.parallelism} for a Job.
   */
  public static void reviseReplicas(ObjectNode object, int replicas) {
    if (!(object.get("spec") instanceof ObjectNode spec)) {
      return;
    }
    if ("Job".equals(object.path("kind").asString(""))) {
      spec.put("parallelism", replicas);
    } else {
      spec.put("replicas", replicas);
    }
  }

  /**
   * The labels and annotations that mark the object as the gateway's and name its binding and
   * template (after the overrides, as Karmada merges them last).
   *
   * @param template the template as the gateway stores it (for its uid and generation)
   */
  public static void stamp(
      ObjectNode object, JsonNode template, Owner owner, OverridePolicies.Result overrides) {
    ObjectNode metadata = objectAt(object, "metadata");
    ObjectNode labels = objectAt(metadata, "labels");
    ObjectNode annotations = objectAt(metadata, "annotations");
    JsonNode templateMeta = template.path("metadata");
    long generation = templateMeta.path("generation").asLong(0);
    if (generation > 0) {
      annotations.put(Karmada.RESOURCE_TEMPLATE_GENERATION_ANNOTATION, Long.toString(generation));
    }
    boolean cluster = owner.bindingNamespace() == null || owner.bindingNamespace().isEmpty();
    if (cluster) {
      annotations.put(Karmada.CLUSTER_RESOURCE_BINDING_ANNOTATION, owner.bindingName());
    } else {
      annotations.put(Karmada.RESOURCE_BINDING_NAMESPACE_ANNOTATION, owner.bindingNamespace());
      annotations.put(Karmada.RESOURCE_BINDING_NAME_ANNOTATION, owner.bindingName());
    }
    if (owner.permanentId() != null && !owner.permanentId().isEmpty()) {
      labels.put(
          cluster
              ? Karmada.CLUSTER_RESOURCE_BINDING_PERMANENT_ID_LABEL
              : Karmada.RESOURCE_BINDING_PERMANENT_ID_LABEL,
          owner.permanentId());
    }
    labels.put(Karmada.MANAGED_BY_KARMADA_LABEL, "true");
    annotations.put(
        Karmada.RESOURCE_TEMPLATE_UID_ANNOTATION, templateMeta.path("uid").asString(""));
    annotations.put(
        Karmada.CONFLICT_RESOLUTION_ANNOTATION,
        conflictResolution(templateMeta.path("annotations"), owner.conflictResolution()));
    if (overrides != null) {
      putIfSet(
          annotations, Karmada.APPLIED_CLUSTER_OVERRIDES_ANNOTATION, overrides.clusterOverrides());
      putIfSet(annotations, Karmada.APPLIED_OVERRIDES_ANNOTATION, overrides.overrides());
    }
    // Which labels and annotations are the template's, so that one removed from the template is
    // removed from the member too while the member's own stay.
    annotations.put(Karmada.MANAGED_LABELS_ANNOTATION, joinedKeys(labels, Set.of()));
    annotations.put(
        Karmada.MANAGED_ANNOTATIONS_ANNOTATION,
        joinedKeys(
            annotations,
            Set.of(Karmada.MANAGED_LABELS_ANNOTATION, Karmada.MANAGED_ANNOTATIONS_ANNOTATION)));
  }

  /**
   * Karmada's {@code mergeConflictResolution}: the template's own annotation when it says overwrite
   * or abort, else the binding's {@code conflictResolution}.
   */
  static String conflictResolution(JsonNode templateAnnotations, String bindingValue) {
    String inTemplate =
        templateAnnotations.path(Karmada.CONFLICT_RESOLUTION_ANNOTATION).asString("");
    if (inTemplate.equals("overwrite") || inTemplate.equals("abort")) {
      return inTemplate;
    }
    return "Overwrite".equals(bindingValue) ? "overwrite" : "abort";
  }

  /** Whether the member's object is one the gateway manages ({@code isManagedResource}). */
  public static boolean isManaged(JsonNode observed) {
    return "true"
        .equals(
            observed
                .path("metadata")
                .path("labels")
                .path(Karmada.MANAGED_BY_KARMADA_LABEL)
                .asString(""));
  }

  /** Whether the gateway may write over the member's object ({@code allowUpdate}). */
  public static boolean mayUpdate(JsonNode desired, JsonNode observed) {
    return isManaged(observed)
        || "overwrite"
            .equals(
                desired
                    .path("metadata")
                    .path("annotations")
                    .path(Karmada.CONFLICT_RESOLUTION_ANNOTATION)
                    .asString(""));
  }

  /**
   * Whether the member's object was made for the binding {@code namespace/name} (so deleting it,
   * when the binding no longer targets the cluster or is gone, deletes only what it made).
   */
  public static boolean belongsTo(JsonNode observed, String namespace, String name) {
    String key = namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    return isManaged(observed) && key.equals(bindingKey(observed));
  }

  /**
   * The key of the binding a member object names: {@code namespace/name} of a ResourceBinding, the
   * name of a ClusterResourceBinding; null when it names none.
   */
  public static String bindingKey(JsonNode observed) {
    JsonNode a = observed.path("metadata").path("annotations");
    String name = a.path(Karmada.RESOURCE_BINDING_NAME_ANNOTATION).asString("");
    if (!name.isEmpty()) {
      return a.path(Karmada.RESOURCE_BINDING_NAMESPACE_ANNOTATION).asString("") + "/" + name;
    }
    String clusterBinding = a.path(Karmada.CLUSTER_RESOURCE_BINDING_ANNOTATION).asString("");
    return clusterBinding.isEmpty() ? null : clusterBinding;
  }

  /**
   * The desired object made ready to update {@code observed}: the member's resourceVersion,
   * finalizers, owner references, the labels and annotations its controllers added, and the fields
   * Karmada's retain interpreter keeps per kind.
   */
  public static ObjectNode retain(ObjectNode desired, JsonNode observed) {
    ObjectNode out = desired.deepCopy();
    ObjectNode metadata = objectAt(out, "metadata");
    JsonNode seen = observed.path("metadata");
    copyIfPresent(seen, metadata, "resourceVersion");
    copyIfPresent(seen, metadata, "finalizers");
    copyIfPresent(seen, metadata, "ownerReferences");
    retainMap(seen, metadata, "labels", Karmada.MANAGED_LABELS_ANNOTATION);
    retainMap(seen, metadata, "annotations", Karmada.MANAGED_ANNOTATIONS_ANNOTATION);
    switch (out.path("kind").asString("")) {
      case "Service" -> {
        ObjectNode spec = objectAt(out, "spec");
        JsonNode observedSpec = observed.path("spec");
        copyIfPresent(observedSpec, spec, "clusterIP");
        copyIfPresent(observedSpec, spec, "clusterIPs");
        copyIfPresent(observedSpec, spec, "healthCheckNodePort");
        if (spec.get("ports") instanceof ArrayNode ports
            && observedSpec.get("ports") instanceof ArrayNode seenPorts) {
          for (JsonNode port : ports.values()) {
            for (JsonNode seenPort : seenPorts.values()) {
              if (port.path("port").equals(seenPort.path("port"))
                  && port.path("protocol")
                      .asString("TCP")
                      .equals(seenPort.path("protocol").asString("TCP"))
                  && !port.has("nodePort")
                  && seenPort.has("nodePort")) {
                ((ObjectNode) port).set("nodePort", seenPort.get("nodePort"));
              }
            }
          }
        }
      }
      case "PersistentVolumeClaim" -> {
        String volume = observed.path("spec").path("volumeName").asString("");
        if (!volume.isEmpty()) {
          objectAt(out, "spec").put("volumeName", volume);
        }
      }
      case "Job" -> {
        ObjectNode spec = objectAt(out, "spec");
        JsonNode matchLabels = observed.path("spec").path("selector").get("matchLabels");
        if (matchLabels != null) {
          objectAt(spec, "selector").set("matchLabels", matchLabels.deepCopy());
        }
        JsonNode templateLabels =
            observed.path("spec").path("template").path("metadata").get("labels");
        if (templateLabels != null) {
          objectAt(objectAt(spec, "template"), "metadata").set("labels", templateLabels.deepCopy());
        }
      }
      default -> {}
    }
    return out;
  }

  /**
   * Keeps the member's own entries of a label or annotation map: those the desired object does not
   * set and that the gateway did not put there last time (Karmada's {@code RetainLabels}).
   */
  private static void retainMap(
      JsonNode seen, ObjectNode metadata, String field, String managedKey) {
    JsonNode observedMap = seen.get(field);
    if (observedMap == null || !observedMap.isObject()) {
      return;
    }
    Set<String> managedBefore = new TreeSet<>();
    String recorded = seen.path("annotations").path(managedKey).asString("");
    for (String k : recorded.split(",")) {
      if (!k.isEmpty()) {
        managedBefore.add(k);
      }
    }
    ObjectNode desiredMap = objectAt(metadata, field);
    for (Map.Entry<String, JsonNode> e : observedMap.properties()) {
      if (!desiredMap.has(e.getKey()) && !managedBefore.contains(e.getKey())) {
        desiredMap.set(e.getKey(), e.getValue());
      }
    }
  }

  private static String joinedKeys(ObjectNode map, Set<String> except) {
    List<String> keys = new ArrayList<>();
    map.propertyNames()
        .forEach(
            k -> {
              if (!except.contains(k)) {
                keys.add(k);
              }
            });
    keys.sort(null);
    return String.join(",", keys);
  }

  private static void putIfSet(ObjectNode annotations, String key, AppliedOverrides applied) {
    String value = applied == null ? null : applied.toAnnotation();
    if (value != null) {
      annotations.put(key, value);
    } else {
      annotations.remove(key);
    }
  }

  private static void copyIfPresent(JsonNode from, ObjectNode to, String field) {
    JsonNode value = from.get(field);
    if (value != null && !value.isNull()) {
      to.set(field, value.deepCopy());
    } else {
      to.remove(field);
    }
  }

  private static void removeKeys(JsonNode map, String... keys) {
    if (map instanceof ObjectNode m) {
      for (String k : keys) {
        m.remove(k);
      }
    }
  }

  static ObjectNode objectAt(ObjectNode parent, String field) {
    JsonNode child = parent.get(field);
    if (child instanceof ObjectNode o) {
      return o;
    }
    return parent.putObject(field);
  }
}
