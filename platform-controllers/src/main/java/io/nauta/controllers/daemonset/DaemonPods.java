package io.nauta.controllers.daemonset;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.nauta.core.controller.OwnerReferences;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The pods a DaemonSet stamps out (upstream's {@code util.CreatePodTemplate}, {@code
 * AddOrUpdateDaemonPodTolerations} and {@code ReplaceDaemonSetPodNodeNameNodeAffinity}): the
 * template with the automatic tolerations, the {@code controller-revision-hash} label, and required
 * node affinity on {@code metadata.name} so the default scheduler binds each to its node.
 */
final class DaemonPods {

  static final String HASH_LABEL = "controller-revision-hash";
  static final String NODE_NAME_FIELD = "metadata.name";
  static final String TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation";

  /** The template generation a pod was made from, as upstream still labels daemon pods. */
  static final String TEMPLATE_GENERATION_LABEL = "pod-template-generation";

  private DaemonPods() {}

  /** The template's pod spec with the tolerations every daemon pod gets (a copy). */
  static PodSpec specWithTolerations(DaemonSet ds) {
    PodSpec spec = new PodSpecBuilder(ds.getSpec().getTemplate().getSpec()).build();
    List<Toleration> tolerations =
        new ArrayList<>(spec.getTolerations() == null ? List.of() : spec.getTolerations());
    // Node problems must not evict or keep out a per-node agent.
    addOrUpdate(tolerations, "node.kubernetes.io/not-ready", "NoExecute");
    addOrUpdate(tolerations, "node.kubernetes.io/unreachable", "NoExecute");
    addOrUpdate(tolerations, "node.kubernetes.io/disk-pressure", "NoSchedule");
    addOrUpdate(tolerations, "node.kubernetes.io/memory-pressure", "NoSchedule");
    addOrUpdate(tolerations, "node.kubernetes.io/pid-pressure", "NoSchedule");
    addOrUpdate(tolerations, "node.kubernetes.io/unschedulable", "NoSchedule");
    if (Boolean.TRUE.equals(spec.getHostNetwork())) {
      addOrUpdate(tolerations, "node.kubernetes.io/network-unavailable", "NoSchedule");
    }
    spec.setTolerations(tolerations);
    return spec;
  }

  /** {@code AddOrUpdateTolerationInPodSpec}: an equal toleration is replaced, else appended. */
  private static void addOrUpdate(List<Toleration> tolerations, String key, String effect) {
    Toleration added = new Toleration(effect, key, "Exists", null, null);
    for (int i = 0; i < tolerations.size(); i++) {
      Toleration t = tolerations.get(i);
      if (Objects.equals(t.getKey(), key)
          && Objects.equals(t.getEffect(), effect)
          && Objects.equals(t.getOperator(), "Exists")
          && (t.getValue() == null || t.getValue().isEmpty())) {
        tolerations.set(i, added);
        return;
      }
    }
    tolerations.add(added);
  }

  /** A new pod of {@code ds} for {@code node}, labelled with the current revision's hash. */
  static Pod forNode(DaemonSet ds, String node, String hash) {
    ObjectMeta tm =
        ds.getSpec().getTemplate().getMetadata() == null
            ? new ObjectMeta()
            : ds.getSpec().getTemplate().getMetadata();
    Map<String, String> labels =
        tm.getLabels() == null ? new HashMap<>() : new HashMap<>(tm.getLabels());
    labels.put(HASH_LABEL, hash);
    Map<String, String> dsAnnotations = ds.getMetadata().getAnnotations();
    String templateGeneration =
        dsAnnotations == null ? null : dsAnnotations.get(TEMPLATE_GENERATION_ANNOTATION);
    if (templateGeneration != null) {
      labels.put(TEMPLATE_GENERATION_LABEL, templateGeneration);
    }
    PodSpec spec = specWithTolerations(ds);
    spec.setAffinity(withNodeName(spec.getAffinity(), node));
    return new PodBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withGenerateName(ds.getMetadata().getName() + "-")
                .withNamespace(ds.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(
                    tm.getAnnotations() == null ? null : new HashMap<>(tm.getAnnotations()))
                .withFinalizers(tm.getFinalizers())
                .withOwnerReferences(OwnerReferences.controllerReference(ds))
                .build())
        .withSpec(spec)
        .build();
  }

  /** Required node affinity replaced by one term: {@code metadata.name In [node]}. */
  static Affinity withNodeName(Affinity affinity, String node) {
    NodeSelectorTerm term =
        new NodeSelectorTerm(
            null, List.of(new NodeSelectorRequirement(NODE_NAME_FIELD, "In", List.of(node))));
    Affinity out = affinity == null ? new Affinity() : affinity;
    NodeAffinity nodeAffinity =
        out.getNodeAffinity() == null ? new NodeAffinity() : out.getNodeAffinity();
    NodeSelector required = nodeAffinity.getRequiredDuringSchedulingIgnoredDuringExecution();
    if (required == null) {
      required = new NodeSelector();
    }
    required.setNodeSelectorTerms(new ArrayList<>(List.of(term)));
    nodeAffinity.setRequiredDuringSchedulingIgnoredDuringExecution(required);
    out.setNodeAffinity(nodeAffinity);
    return out;
  }

  /**
   * The node a pod is for: its {@code spec.nodeName} once bound, else the name its required node
   * affinity pins it to (upstream's {@code GetTargetNodeName}); null when neither says.
   */
  static String targetNode(Pod pod) {
    String bound = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (bound != null && !bound.isEmpty()) {
      return bound;
    }
    Affinity a = pod.getSpec() == null ? null : pod.getSpec().getAffinity();
    if (a == null
        || a.getNodeAffinity() == null
        || a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return null;
    }
    for (NodeSelectorTerm t :
        a.getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms()) {
      if (t.getMatchFields() == null) {
        continue;
      }
      for (NodeSelectorRequirement r : t.getMatchFields()) {
        if (NODE_NAME_FIELD.equals(r.getKey())
            && "In".equals(r.getOperator())
            && r.getValues() != null
            && r.getValues().size() == 1) {
          return r.getValues().get(0);
        }
      }
    }
    return null;
  }

  /** Whether the pod carries the current revision's hash (upstream's {@code IsPodUpdated}). */
  static boolean isUpdated(Pod pod, String hash) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels != null && hash.equals(labels.get(HASH_LABEL));
  }
}
