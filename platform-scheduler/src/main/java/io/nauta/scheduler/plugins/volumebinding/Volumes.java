package io.nauta.scheduler.plugins.volumebinding;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TopologySelectorLabelRequirement;
import io.fabric8.kubernetes.api.model.TopologySelectorTerm;
import io.nauta.core.selector.LabelSelector;
import io.nauta.core.selector.NodeSelectorMatcher;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The rules Kubernetes' PV controller and volume binder share
 * (pkg/controller/volume/persistentvolume /util): which class a claim or volume is of, when a claim
 * is bound, whether a volume's node affinity admits a node, and which Available volume a claim
 * would take on a node.
 */
final class Volumes {

  static final String BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";
  static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";
  static final String BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
  static final String BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
  static final String WAIT_FOR_FIRST_CONSUMER = "WaitForFirstConsumer";
  static final String NO_PROVISIONER = "kubernetes.io/no-provisioner";

  private Volumes() {}

  /** The claim's class: the beta annotation first, then {@code storageClassName}; "" for none. */
  static String claimClass(PersistentVolumeClaim claim) {
    return classOf(
        claim.getMetadata().getAnnotations(),
        claim.getSpec() == null ? null : claim.getSpec().getStorageClassName());
  }

  /** The volume's class, read the same way as a claim's. */
  static String volumeClass(PersistentVolume pv) {
    return classOf(
        pv.getMetadata().getAnnotations(),
        pv.getSpec() == null ? null : pv.getSpec().getStorageClassName());
  }

  private static String classOf(Map<String, String> annotations, String storageClassName) {
    String annotated = annotation(annotations, BETA_STORAGE_CLASS);
    if (annotated != null) {
      return annotated;
    }
    return storageClassName == null ? "" : storageClassName;
  }

  static String volumeName(PersistentVolumeClaim claim) {
    String name = claim.getSpec() == null ? null : claim.getSpec().getVolumeName();
    return name == null ? "" : name;
  }

  /**
   * Bound as far as scheduling goes: it names its volume and the PV controller finished the binding
   * (upstream's {@code pv.kubernetes.io/bind-completed}; phase {@code Bound} counts too).
   */
  static boolean fullyBound(PersistentVolumeClaim claim) {
    if (volumeName(claim).isEmpty()) {
      return false;
    }
    return annotation(claim.getMetadata().getAnnotations(), BIND_COMPLETED) != null
        || (claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase()));
  }

  static String selectedNode(PersistentVolumeClaim claim) {
    return annotation(claim.getMetadata().getAnnotations(), SELECTED_NODE);
  }

  /** Whether the volume's required node affinity (none: every node) admits {@code node}. */
  static boolean nodeAffinityMatches(PersistentVolume pv, Node node) {
    if (pv.getSpec() == null
        || pv.getSpec().getNodeAffinity() == null
        || pv.getSpec().getNodeAffinity().getRequired() == null) {
      return true;
    }
    return NodeSelectorMatcher.of(
            pv.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms())
        .matches(node);
  }

  /** Whether the class's allowed topologies (none: everywhere) admit {@code node}. */
  static boolean topologyAllows(List<TopologySelectorTerm> terms, Node node) {
    if (terms == null || terms.isEmpty()) {
      return true;
    }
    Map<String, String> labels = NodeSelectorMatcher.labels(node);
    for (TopologySelectorTerm term : terms) {
      boolean all = true;
      for (TopologySelectorLabelRequirement r : orEmpty(term.getMatchLabelExpressions())) {
        if (!orEmpty(r.getValues()).contains(labels.get(r.getKey()))) {
          all = false;
          break;
        }
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  /** The claim's {@code requests.storage} in bytes (0 when it asks for none). */
  static BigDecimal requested(PersistentVolumeClaim claim) {
    Map<String, Quantity> requests =
        claim.getSpec() == null || claim.getSpec().getResources() == null
            ? null
            : claim.getSpec().getResources().getRequests();
    Quantity q = requests == null ? null : requests.get("storage");
    return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
  }

  static BigDecimal capacity(PersistentVolume pv) {
    Map<String, Quantity> capacity = pv.getSpec() == null ? null : pv.getSpec().getCapacity();
    Quantity q = capacity == null ? null : capacity.get("storage");
    return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
  }

  /** The volume's claimRef names this claim (and its uid, when the ref carries one). */
  static boolean boundToClaim(PersistentVolume pv, PersistentVolumeClaim claim) {
    ObjectReference ref = pv.getSpec() == null ? null : pv.getSpec().getClaimRef();
    if (ref == null) {
      return false;
    }
    return Objects.equals(ref.getName(), claim.getMetadata().getName())
        && Objects.equals(ref.getNamespace(), claim.getMetadata().getNamespace())
        && (ref.getUid() == null
            || ref.getUid().isEmpty()
            || ref.getUid().equals(claim.getMetadata().getUid()));
  }

  /**
   * The volume Kubernetes' {@code FindMatchingVolume} picks for {@code claim} on {@code node} from
   * {@code candidates} (the volumes of the claim's class), skipping {@code excluded}: one already
   * pre-bound to the claim if its node affinity admits the node (else none), otherwise the smallest
   * Available volume that is big enough, of the same volume mode, not being deleted, matching the
   * claim's selector, class, access modes and admitting the node. {@code null} when none fits.
   */
  static PersistentVolume findMatchingVolume(
      PersistentVolumeClaim claim,
      List<PersistentVolume> candidates,
      Node node,
      Set<String> excluded) {
    BigDecimal requested = requested(claim);
    String requestedClass = claimClass(claim);
    io.fabric8.kubernetes.api.model.LabelSelector selectorModel =
        claim.getSpec() == null ? null : claim.getSpec().getSelector();
    LabelSelector selector;
    try {
      selector = selectorModel == null ? null : LabelSelector.fromModel(selectorModel);
    } catch (RuntimeException e) {
      // An invalid selector matches nothing (upstream fails the match with an error).
      return null;
    }
    PersistentVolume smallest = null;
    BigDecimal smallestSize = null;
    for (PersistentVolume pv : candidates) {
      if (excluded.contains(pv.getMetadata().getName())) {
        continue;
      }
      boolean boundToThis = boundToClaim(pv, claim);
      if (pv.getSpec() == null || (pv.getSpec().getClaimRef() != null && !boundToThis)) {
        continue;
      }
      BigDecimal size = capacity(pv);
      if (size.compareTo(requested) < 0
          || !volumeMode(claim).equals(volumeMode(pv))
          || pv.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      boolean affinityOk = nodeAffinityMatches(pv, node);
      if (boundToThis) {
        return affinityOk ? pv : null;
      }
      String phase = pv.getStatus() == null ? null : pv.getStatus().getPhase();
      if (!"Available".equals(phase)
          || (selector != null && !selector.matches(labels(pv)))
          || !volumeClass(pv).equals(requestedClass)
          || !affinityOk
          || !accessModesFit(claim, pv)) {
        continue;
      }
      if (smallest == null || smallestSize.compareTo(size) > 0) {
        smallest = pv;
        smallestSize = size;
      }
    }
    return smallest;
  }

  /** Every access mode the claim asks for is one the volume offers. */
  static boolean accessModesFit(PersistentVolumeClaim claim, PersistentVolume pv) {
    List<String> offered = orEmpty(pv.getSpec().getAccessModes());
    for (String mode : orEmpty(claim.getSpec().getAccessModes())) {
      if (!offered.contains(mode)) {
        return false;
      }
    }
    return true;
  }

  private static String volumeMode(PersistentVolumeClaim claim) {
    String mode = claim.getSpec() == null ? null : claim.getSpec().getVolumeMode();
    return mode == null ? "Filesystem" : mode;
  }

  private static String volumeMode(PersistentVolume pv) {
    String mode = pv.getSpec().getVolumeMode();
    return mode == null ? "Filesystem" : mode;
  }

  private static Map<String, String> labels(PersistentVolume pv) {
    Map<String, String> labels = pv.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  private static String annotation(Map<String, String> annotations, String key) {
    return annotations == null ? null : annotations.get(key);
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
