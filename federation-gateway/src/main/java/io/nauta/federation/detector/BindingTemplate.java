package io.nauta.federation.detector;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.ObjectReference;
import io.nauta.federation.api.PropagationSpec;
import io.nauta.federation.api.ResourceBindingSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the detector derives from a template and the policy that claims it: the binding's name
 * ({@code <name>-<kind>} in lower case, {@code :} turned to {@code .}, as Karmada's {@code
 * GenerateBindingName}), its labels and annotations naming the policy, its owner reference to the
 * template, and the spec fields the detector owns (resource, replicas, replica requirements,
 * placement, propagateDeps, conflictResolution, preserveResourcesOnDeletion, schedulerName,
 * failover); the scheduler's and propagation's fields ({@code clusters}, {@code
 * gracefulEvictionTasks}, {@code requiredBy}...) are kept from the binding.
 */
final class BindingTemplate {

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .changeDefaultPropertyInclusion(v -> v.withValueInclusion(JsonInclude.Include.NON_NULL))
          .build();

  private BindingTemplate() {}

  static String bindingName(String kind, String name) {
    return (name.replace(':', '.') + "-" + kind).toLowerCase(Locale.ROOT);
  }

  /** The claim a policy puts on what it propagates: Karmada's labels and annotations. */
  record Claim(Map<String, String> labels, Map<String, String> annotations) {

    static Claim propagationPolicy(HasMetadata policy) {
      return new Claim(
          Map.of(Karmada.PROPAGATION_POLICY_PERMANENT_ID_LABEL, permanentId(policy, true)),
          Map.of(
              Karmada.PROPAGATION_POLICY_NAMESPACE_ANNOTATION,
              policy.getMetadata().getNamespace(),
              Karmada.PROPAGATION_POLICY_NAME_ANNOTATION,
              policy.getMetadata().getName()));
    }

    static Claim clusterPropagationPolicy(HasMetadata policy) {
      return new Claim(
          Map.of(Karmada.CLUSTER_PROPAGATION_POLICY_PERMANENT_ID_LABEL, permanentId(policy, false)),
          Map.of(Karmada.CLUSTER_PROPAGATION_POLICY_ANNOTATION, policy.getMetadata().getName()));
    }

    /** Every key of both kinds of claim, to clear one that no longer holds. */
    static final List<String> LABEL_KEYS =
        List.of(
            Karmada.PROPAGATION_POLICY_PERMANENT_ID_LABEL,
            Karmada.CLUSTER_PROPAGATION_POLICY_PERMANENT_ID_LABEL);

    static final List<String> ANNOTATION_KEYS =
        List.of(
            Karmada.PROPAGATION_POLICY_NAMESPACE_ANNOTATION,
            Karmada.PROPAGATION_POLICY_NAME_ANNOTATION,
            Karmada.CLUSTER_PROPAGATION_POLICY_ANNOTATION);

    /** Whether {@code meta} carries exactly this claim (and no other policy's). */
    boolean isOn(ObjectMeta meta) {
      return sameKeys(meta.getLabels(), labels, LABEL_KEYS)
          && sameKeys(meta.getAnnotations(), annotations, ANNOTATION_KEYS);
    }

    private static boolean sameKeys(
        Map<String, String> actual, Map<String, String> wanted, List<String> keys) {
      for (String key : keys) {
        String a = actual == null ? null : actual.get(key);
        if (!java.util.Objects.equals(a, wanted.get(key))) {
          return false;
        }
      }
      return true;
    }

    /** A merge patch putting this claim on an object and clearing any other. */
    String mergePatch() {
      Map<String, Object> labelPatch = new HashMap<>();
      LABEL_KEYS.forEach(k -> labelPatch.put(k, null));
      labelPatch.putAll(labels);
      Map<String, Object> annotationPatch = new HashMap<>();
      ANNOTATION_KEYS.forEach(k -> annotationPatch.put(k, null));
      annotationPatch.putAll(annotations);
      return patch(labelPatch, annotationPatch);
    }

    /** A merge patch clearing every claim. */
    static String clearPatch() {
      Map<String, Object> labelPatch = new HashMap<>();
      LABEL_KEYS.forEach(k -> labelPatch.put(k, null));
      Map<String, Object> annotationPatch = new HashMap<>();
      ANNOTATION_KEYS.forEach(k -> annotationPatch.put(k, null));
      return patch(labelPatch, annotationPatch);
    }

    static boolean anyOn(ObjectMeta meta) {
      return LABEL_KEYS.stream()
              .anyMatch(k -> meta.getLabels() != null && meta.getLabels().containsKey(k))
          || ANNOTATION_KEYS.stream()
              .anyMatch(k -> meta.getAnnotations() != null && meta.getAnnotations().containsKey(k));
    }

    private static String patch(Map<String, Object> labels, Map<String, Object> annotations) {
      Map<String, Object> metadata = new HashMap<>();
      metadata.put("labels", labels);
      metadata.put("annotations", annotations);
      // Nulls must be written: they delete the keys.
      return JsonMapper.builder().build().writeValueAsString(Map.of("metadata", metadata));
    }
  }

  /**
   * The policy's permanent id: Karmada's label on the policy when it has one, else the policy's uid
   * (Karmada's webhook sets the label to a new UUID on create; the uid is as stable).
   */
  static String permanentId(HasMetadata policy, boolean namespaced) {
    Map<String, String> labels = policy.getMetadata().getLabels();
    String key =
        namespaced
            ? Karmada.PROPAGATION_POLICY_PERMANENT_ID_LABEL
            : Karmada.CLUSTER_PROPAGATION_POLICY_PERMANENT_ID_LABEL;
    String id = labels == null ? null : labels.get(key);
    return id != null ? id : policy.getMetadata().getUid();
  }

  static OwnerReference ownerReference(GenericKubernetesResource template) {
    OwnerReference ref = new OwnerReference();
    ref.setApiVersion(template.getApiVersion());
    ref.setKind(template.getKind());
    ref.setName(template.getMetadata().getName());
    ref.setUid(template.getMetadata().getUid());
    ref.setController(true);
    ref.setBlockOwnerDeletion(true);
    return ref;
  }

  /** The binding spec for {@code template} under {@code policy}, keeping what others own. */
  static ResourceBindingSpec spec(
      GenericKubernetesResource template, PropagationSpec policy, ResourceBindingSpec existing) {
    ReplicaInterpreter.Replicas replicas = ReplicaInterpreter.interpret(template);
    ObjectMeta meta = template.getMetadata();
    ObjectReference resource =
        new ObjectReference(
            template.getApiVersion(),
            template.getKind(),
            meta.getNamespace(),
            meta.getName(),
            meta.getUid(),
            meta.getResourceVersion());
    ResourceBindingSpec old = existing == null ? empty() : existing;
    // A template's status write moves its resourceVersion, not its specification: as Karmada's
    // detector (SpecificationChanged), the binding then keeps the version it has. Following every
    // version made each status aggregated back onto the template a binding update, a new
    // generation, a new scheduling pass and another status write, round after round.
    if (old.resource() != null && sameObject(old.resource(), resource)) {
      ResourceBindingSpec unchanged = build(old.resource(), policy, replicas, old);
      if (unchanged.equals(existing)) {
        return existing;
      }
    }
    return build(resource, policy, replicas, old);
  }

  private static boolean sameObject(ObjectReference a, ObjectReference b) {
    return java.util.Objects.equals(a.apiVersion(), b.apiVersion())
        && java.util.Objects.equals(a.kind(), b.kind())
        && java.util.Objects.equals(a.namespace(), b.namespace())
        && java.util.Objects.equals(a.name(), b.name())
        && java.util.Objects.equals(a.uid(), b.uid());
  }

  private static ResourceBindingSpec build(
      ObjectReference resource,
      PropagationSpec policy,
      ReplicaInterpreter.Replicas replicas,
      ResourceBindingSpec old) {
    return new ResourceBindingSpec(
        resource,
        policy.propagateDeps(),
        replicas.requirements(),
        replicas.replicas() == 0 ? null : replicas.replicas(),
        old.components(),
        old.clusters(),
        policy.placement(),
        old.gracefulEvictionTasks(),
        old.requiredBy(),
        policy.schedulerName(),
        policy.failover(),
        policy.conflictResolution(),
        old.rescheduleTriggeredAt(),
        old.suspension(),
        policy.preserveResourcesOnDeletion(),
        old.schedulePriority(),
        old.workloadAffinityGroups());
  }

  /** Karmada's {@code policy.karmada.io/applied-placement} annotation: the placement as JSON. */
  static String appliedPlacement(PropagationSpec policy) {
    return policy.placement() == null ? "" : JSON.writeValueAsString(policy.placement());
  }

  private static ResourceBindingSpec empty() {
    return new ResourceBindingSpec(
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null);
  }
}
