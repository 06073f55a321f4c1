package io.nauta.core.patch;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What strategic merge patch needs to know about a kind: for a field, named by its path of field
 * names from the object's root (list elements add no step, so {@code ["spec","containers","ports"]}
 * is the ports of every container), whether its list merges and by which key, and whether the field
 * clears its unnamed siblings ({@code retainKeys}).
 *
 * <p>The built-in rules copy the {@code patchStrategy} and {@code patchMergeKey} struct tags of
 * {@code k8s.io/api} ({@code core/v1/types.go}, {@code apps/v1/types.go}) and of {@code
 * ObjectMeta}. A field with no tag is atomic: the patch replaces it whole. That is why {@code
 * tolerations}, {@code envFrom}, node {@code taints} and pod {@code containerStatuses} replace:
 * upstream tags none of them, and clients (kubectl taint, the kubelet's status patches) send those
 * lists in full, relying on that.
 */
public final class PatchSchema {

  /** How one field is patched. A field the schema does not name is {@link #REPLACE}. */
  public record FieldStrategy(boolean merge, String mergeKey, boolean retainKeys) {

    /** No tag: lists are replaced whole (maps still merge key by key, as in any merge patch). */
    public static final FieldStrategy REPLACE = new FieldStrategy(false, null, false);

    /** {@code patchStrategy:"merge" patchMergeKey:"<key>"}: a list of objects merged by key. */
    public static FieldStrategy mergeBy(String mergeKey) {
      return new FieldStrategy(true, Objects.requireNonNull(mergeKey), false);
    }

    /** {@code patchStrategy:"merge"} on a list of primitives: an unordered set, unioned. */
    public static FieldStrategy mergePrimitives() {
      return new FieldStrategy(true, null, false);
    }

    /** {@code patchStrategy:"retainKeys"}: a union type (e.g. a deployment's strategy). */
    public static FieldStrategy retainingKeys() {
      return new FieldStrategy(false, null, true);
    }

    /** {@code patchStrategy:"merge,retainKeys" patchMergeKey:"<key>"}, e.g. pod volumes. */
    public static FieldStrategy mergeByRetainingKeys(String mergeKey) {
      return new FieldStrategy(true, Objects.requireNonNull(mergeKey), true);
    }

    public boolean mergesPrimitives() {
      return merge && mergeKey == null;
    }
  }

  private static final PatchSchema EMPTY = new PatchSchema(Map.of());

  private final Map<List<String>, FieldStrategy> fields;

  private PatchSchema(Map<List<String>, FieldStrategy> fields) {
    this.fields = Map.copyOf(fields);
  }

  /** How the field at {@code path} (field names from the root) is patched. */
  public FieldStrategy strategy(List<String> path) {
    return fields.getOrDefault(path, FieldStrategy.REPLACE);
  }

  /** A schema with no rules: every list is replaced, as in a JSON merge patch. */
  public static PatchSchema empty() {
    return EMPTY;
  }

  /**
   * The rules for a built-in kind. A kind not listed gets the {@code ObjectMeta} rules only, which
   * every Kubernetes object shares; whether to accept a strategic merge patch for such a kind at
   * all (Kubernetes refuses it for custom resources) is the caller's decision.
   */
  public static PatchSchema forKind(String kind) {
    Builder b = builder().objectMeta("metadata");
    switch (kind.toLowerCase(Locale.ROOT)) {
      case "pod" -> b.podSpec("spec").podStatus("status");
      case "deployment" ->
          b.podTemplate("spec.template")
              .field("spec.strategy", FieldStrategy.retainingKeys())
              .field("status.conditions", FieldStrategy.mergeBy("type"));
      case "replicaset" ->
          b.podTemplate("spec.template").field("status.conditions", FieldStrategy.mergeBy("type"));
      case "daemonset", "statefulset", "job" ->
          b.podTemplate("spec.template").field("status.conditions", FieldStrategy.mergeBy("type"));
      case "cronjob" -> b.podTemplate("spec.jobTemplate.spec.template");
      case "persistentvolumeclaim" -> b.field("status.conditions", FieldStrategy.mergeBy("type"));
      case "service" ->
          b.field("spec.ports", FieldStrategy.mergeBy("port"))
              .field("status.conditions", FieldStrategy.mergeBy("type"));
      case "node" ->
          b.field("spec.podCIDRs", FieldStrategy.mergePrimitives())
              .field("status.addresses", FieldStrategy.mergeBy("type"))
              .field("status.conditions", FieldStrategy.mergeBy("type"));
      case "namespace" -> b.field("status.conditions", FieldStrategy.mergeBy("type"));
      default -> {
        // ConfigMap, Secret, Endpoints, Event, Lease: no tagged fields beyond ObjectMeta.
      }
    }
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Assembles rules from dotted paths ({@code "spec.template.spec.containers"}). */
  public static final class Builder {

    private final Map<List<String>, FieldStrategy> fields = new HashMap<>();

    private Builder() {}

    public Builder field(String dottedPath, FieldStrategy strategy) {
      fields.put(List.of(dottedPath.split("\\.")), strategy);
      return this;
    }

    /** {@code metav1.ObjectMeta} at {@code prefix}. */
    public Builder objectMeta(String prefix) {
      return field(prefix + ".finalizers", FieldStrategy.mergePrimitives())
          .field(prefix + ".ownerReferences", FieldStrategy.mergeBy("uid"));
    }

    /** {@code core/v1.PodTemplateSpec} at {@code prefix}: its metadata and pod spec. */
    public Builder podTemplate(String prefix) {
      return objectMeta(prefix + ".metadata").podSpec(prefix + ".spec");
    }

    /** {@code core/v1.PodSpec} at {@code prefix}. */
    public Builder podSpec(String prefix) {
      field(prefix + ".volumes", FieldStrategy.mergeByRetainingKeys("name"));
      for (String containers : List.of("initContainers", "containers", "ephemeralContainers")) {
        container(prefix + "." + containers);
      }
      return field(prefix + ".imagePullSecrets", FieldStrategy.mergeBy("name"))
          .field(prefix + ".hostAliases", FieldStrategy.mergeBy("ip"))
          .field(prefix + ".topologySpreadConstraints", FieldStrategy.mergeBy("topologyKey"))
          .field(prefix + ".schedulingGates", FieldStrategy.mergeBy("name"))
          .field(prefix + ".resourceClaims", FieldStrategy.mergeByRetainingKeys("name"));
    }

    /** {@code core/v1.PodStatus} at {@code prefix}. */
    public Builder podStatus(String prefix) {
      return field(prefix + ".conditions", FieldStrategy.mergeBy("type"))
          .field(prefix + ".podIPs", FieldStrategy.mergeBy("ip"))
          .field(prefix + ".hostIPs", FieldStrategy.mergeBy("ip"))
          .field(prefix + ".resourceClaimStatuses", FieldStrategy.mergeByRetainingKeys("name"));
    }

    /** A list of {@code core/v1.Container} (or {@code EphemeralContainer}) at {@code path}. */
    private void container(String path) {
      field(path, FieldStrategy.mergeBy("name"))
          .field(path + ".ports", FieldStrategy.mergeBy("containerPort"))
          .field(path + ".env", FieldStrategy.mergeBy("name"))
          .field(path + ".volumeMounts", FieldStrategy.mergeBy("mountPath"))
          .field(path + ".volumeDevices", FieldStrategy.mergeBy("devicePath"));
    }

    public PatchSchema build() {
      return new PatchSchema(fields);
    }
  }
}
