package io.nauta.agent.volumes;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules of the {@code nauta.io/local-volume} provisioner that need no API server: which claims
 * are its to provision, the name of a claim's volume ({@code pvc-<claim uid>}, so a retry after a
 * crash finds the volume it made), the PersistentVolume it makes, and which node a volume it made
 * lives on.
 */
public final class LocalVolumes {

  /** The provisioner's name, as a StorageClass's {@code provisioner} names it. */
  public static final String PROVISIONER = "nauta.io/local-volume";

  public static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";
  public static final String STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
  public static final String BETA_STORAGE_PROVISIONER =
      "volume.beta.kubernetes.io/storage-provisioner";
  public static final String BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";
  public static final String PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
  public static final String HOSTNAME_LABEL = "kubernetes.io/hostname";

  private LocalVolumes() {}

  /** The volume a claim gets: {@code pvc-<uid>}, as external provisioners name theirs. */
  public static String volumeName(PersistentVolumeClaim claim) {
    return "pvc-" + claim.getMetadata().getUid();
  }

  /**
   * The claim's class: the beta annotation {@code volume.beta.kubernetes.io/storage-class} when
   * set, else {@code spec.storageClassName}; {@code ""} for none (upstream's
   * GetPersistentVolumeClaimClass).
   */
  public static String claimClass(PersistentVolumeClaim claim) {
    String beta = annotation(claim.getMetadata().getAnnotations(), BETA_STORAGE_CLASS);
    if (beta != null) {
      return beta;
    }
    String name = claim.getSpec() == null ? null : claim.getSpec().getStorageClassName();
    return name == null ? "" : name;
  }

  /** The node the scheduler chose for the claim's first consumer, or null. */
  public static String selectedNode(PersistentVolumeClaim claim) {
    return annotation(claim.getMetadata().getAnnotations(), SELECTED_NODE);
  }

  /**
   * Whether the claim is this provisioner's to provision now: not bound to a volume, not being
   * deleted, of a class ({@code ""} is never provisioned), and this provisioner's by the PV
   * controller's {@code volume.kubernetes.io/storage-provisioner} annotation (or its beta) or,
   * without one, by its class's {@code provisioner}.
   *
   * @param claimClass the claim's class when it exists
   */
  public static boolean provisions(PersistentVolumeClaim claim, Optional<StorageClass> claimClass) {
    if (claim.getSpec() == null
        || !isBlank(claim.getSpec().getVolumeName())
        || claim.getMetadata().getDeletionTimestamp() != null
        || claimClass(claim).isEmpty()) {
      return false;
    }
    Map<String, String> annotations = claim.getMetadata().getAnnotations();
    String named = annotation(annotations, STORAGE_PROVISIONER);
    if (named == null) {
      named = annotation(annotations, BETA_STORAGE_PROVISIONER);
    }
    if (named != null) {
      return PROVISIONER.equals(named);
    }
    return claimClass.map(c -> PROVISIONER.equals(c.getProvisioner())).orElse(false);
  }

  /**
   * Why this provisioner cannot make a volume for the claim (the message of its {@code
   * ProvisioningFailed} event), or null.
   */
  public static String unsupported(PersistentVolumeClaim claim) {
    var spec = claim.getSpec();
    if (spec.getSelector() != null) {
      return "claim.Spec.Selector is not supported";
    }
    if (spec.getDataSource() != null || spec.getDataSourceRef() != null) {
      return "claim.Spec.DataSource is not supported";
    }
    if ("Block".equals(spec.getVolumeMode())) {
      return "volumeMode Block is not supported: a local volume is a directory";
    }
    if (request(claim) == null) {
      return "claim has no storage request (spec.resources.requests.storage)";
    }
    return null;
  }

  private static Quantity request(PersistentVolumeClaim claim) {
    var resources = claim.getSpec().getResources();
    return resources == null || resources.getRequests() == null
        ? null
        : resources.getRequests().get("storage");
  }

  /**
   * The volume for the claim on {@code node} at {@code path}: the claim's request as capacity, its
   * access modes and volume mode, the class's reclaim policy (Delete when unset), a {@code local}
   * source, required node affinity {@code kubernetes.io/hostname In [node]}, and a {@code claimRef}
   * with the claim's uid, so the PV controller binds the two and nothing else takes the volume.
   */
  public static PersistentVolume volume(
      PersistentVolumeClaim claim, StorageClass storageClass, String node, Path path) {
    String policy = storageClass.getReclaimPolicy();
    String mode = claim.getSpec().getVolumeMode();
    return new PersistentVolumeBuilder()
        .withNewMetadata()
        .withName(volumeName(claim))
        .addToAnnotations(PROVISIONED_BY, PROVISIONER)
        .endMetadata()
        .withNewSpec()
        .addToCapacity("storage", request(claim))
        .withAccessModes(List.copyOf(claim.getSpec().getAccessModes()))
        .withVolumeMode(mode == null ? "Filesystem" : mode)
        .withPersistentVolumeReclaimPolicy(policy == null || policy.isEmpty() ? "Delete" : policy)
        .withStorageClassName(claimClass(claim))
        .withClaimRef(
            new ObjectReferenceBuilder()
                .withKind("PersistentVolumeClaim")
                .withApiVersion("v1")
                .withNamespace(claim.getMetadata().getNamespace())
                .withName(claim.getMetadata().getName())
                .withUid(claim.getMetadata().getUid())
                .withResourceVersion(claim.getMetadata().getResourceVersion())
                .build())
        .withNewLocal()
        .withPath(path.toString())
        .endLocal()
        .withNewNodeAffinity()
        .withNewRequired()
        .addNewNodeSelectorTerm()
        .addNewMatchExpression()
        .withKey(HOSTNAME_LABEL)
        .withOperator("In")
        .withValues(node)
        .endMatchExpression()
        .endNodeSelectorTerm()
        .endRequired()
        .endNodeAffinity()
        .endSpec()
        .build();
  }

  /** Whether the volume is one this provisioner made for {@code claim}. */
  public static boolean madeFor(PersistentVolume volume, PersistentVolumeClaim claim) {
    var ref = volume.getSpec() == null ? null : volume.getSpec().getClaimRef();
    return isOurs(volume)
        && ref != null
        && claim.getMetadata().getUid().equals(ref.getUid())
        && volume.getMetadata().getName().equals(volumeName(claim));
  }

  /** Whether this provisioner made the volume (its {@code pv.kubernetes.io/provisioned-by}). */
  public static boolean isOurs(PersistentVolume volume) {
    return PROVISIONER.equals(annotation(volume.getMetadata().getAnnotations(), PROVISIONED_BY));
  }

  /**
   * The node a volume of this provisioner lives on: the one value of its required node affinity on
   * {@code kubernetes.io/hostname} (null when it has another shape: not one this provisioner made).
   */
  public static String node(PersistentVolume volume) {
    var affinity = volume.getSpec() == null ? null : volume.getSpec().getNodeAffinity();
    if (affinity == null || affinity.getRequired() == null) {
      return null;
    }
    List<NodeSelectorTerm> terms = affinity.getRequired().getNodeSelectorTerms();
    if (terms == null || terms.size() != 1 || terms.get(0).getMatchExpressions() == null) {
      return null;
    }
    for (NodeSelectorRequirement r : terms.get(0).getMatchExpressions()) {
      if (HOSTNAME_LABEL.equals(r.getKey())
          && "In".equals(r.getOperator())
          && r.getValues() != null
          && r.getValues().size() == 1) {
        return r.getValues().get(0);
      }
    }
    return null;
  }

  /** Whether the volume's claim is gone and its reclaim policy says to delete it. */
  public static boolean releasedForDeletion(PersistentVolume volume) {
    return volume.getStatus() != null
        && "Released".equals(volume.getStatus().getPhase())
        && "Delete".equals(volume.getSpec().getPersistentVolumeReclaimPolicy());
  }

  private static String annotation(Map<String, String> annotations, String key) {
    return annotations == null ? null : annotations.get(key);
  }

  private static boolean isBlank(String s) {
    return s == null || s.isEmpty();
  }
}
