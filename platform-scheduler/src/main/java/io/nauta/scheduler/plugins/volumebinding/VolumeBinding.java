package io.nauta.scheduler.plugins.volumebinding;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.nauta.scheduler.framework.ClusterSnapshot;
import io.nauta.scheduler.framework.CycleState;
import io.nauta.scheduler.framework.FilterPlugin;
import io.nauta.scheduler.framework.NodeInfo;
import io.nauta.scheduler.framework.PodInfo;
import io.nauta.scheduler.framework.PreBindPlugin;
import io.nauta.scheduler.framework.ReservePlugin;
import io.nauta.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * Kubernetes' VolumeBinding plugin: keeps a pod off nodes its persistent volume claims cannot be
 * used on, and binds its WaitForFirstConsumer claims once it has a node.
 *
 * <ul>
 *   <li>PreFilter: every claim the pod names ({@code persistentVolumeClaim}, or the claim of a
 *       generic {@code ephemeral} volume) must exist and not be being deleted; a claim not yet
 *       bound must be of a WaitForFirstConsumer class (an Immediate class, no class or an unknown
 *       one leaves the binding to the PV controller: the pod waits).
 *   <li>Filter: a bound claim's volume must exist and its node affinity admit the node; an unbound
 *       claim needs an Available volume of its class that fits it on the node (the smallest, as the
 *       PV controller chooses) or a class with a provisioner whose allowed topologies admit the
 *       node; a claim whose selected node is another node rules the node out.
 *   <li>Reserve: the chosen volumes and selected nodes are assumed in the {@link VolumeCache}, so
 *       the next pod does not take the same volume.
 *   <li>PreBind: the {@link VolumeBinder} writes the volumes' {@code claimRef}s and the claims'
 *       selected node and waits until every claim is bound.
 * </ul>
 */
public final class VolumeBinding implements FilterPlugin, ReservePlugin, PreBindPlugin {

  public static final String NAME = "VolumeBinding";
  public static final String UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims";
  public static final String NODE_CONFLICT = "node(s) had volume node affinity conflict";
  public static final String BIND_CONFLICT =
      "node(s) didn't find available persistent volumes to bind";
  public static final String PV_NOT_EXIST =
      "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";

  private final VolumeCache cache;
  private final VolumeBinder binder;

  /**
   * @param binder writes and waits for the bindings before a pod is bound; {@code null} for a
   *     plugin that only filters
   */
  public VolumeBinding(VolumeCache cache, VolumeBinder binder) {
    this.cache = cache;
    this.binder = binder;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The pod's claims, sorted by what they need, and the volumes its unbound claims may take. */
  private record Claims(
      List<PersistentVolumeClaim> bound,
      List<PersistentVolumeClaim> delayed,
      Map<String, List<PersistentVolume>> volumesByClass) {}

  private static final Claims NONE = new Claims(List.of(), List.of(), Map.of());

  /** What binding the pod on a node takes: static volumes for some claims, provisioning others. */
  record PodVolumes(List<StaticBinding> staticBindings, List<PersistentVolumeClaim> provisions) {
    boolean isEmpty() {
      return staticBindings.isEmpty() && provisions.isEmpty();
    }
  }

  /** A claim and the Available volume it is to take. */
  record StaticBinding(PersistentVolumeClaim claim, PersistentVolume volume) {}

  /** Per node, what the filter decided (filters of one cycle run on one thread). */
  private static final class Decisions {
    final Map<String, PodVolumes> byNode = new HashMap<>();
  }

  /**
   * What reserve assumed for the chosen node: the changed volumes and claims, as written before the
   * pod is bound, and the node, whose labels the volumes must still match then.
   */
  record Reserved(Node node, List<PersistentVolume> volumes, List<PersistentVolumeClaim> claims) {}

  // --- pre-filter ---------------------------------------------------------------------------

  @Override
  public Status preFilter(CycleState state, PodInfo pod, ClusterSnapshot snapshot) {
    List<Volume> volumes = pod.pod().getSpec() == null ? null : pod.pod().getSpec().getVolumes();
    if (volumes == null || volumes.isEmpty()) {
      state.put(Claims.class, NONE);
      return Status.success();
    }
    String ns = pod.namespace();
    List<PersistentVolumeClaim> bound = new ArrayList<>();
    List<PersistentVolumeClaim> delayed = new ArrayList<>();
    boolean unboundImmediate = false;
    for (Volume v : volumes) {
      String claimName;
      boolean ephemeral = false;
      if (v.getPersistentVolumeClaim() != null) {
        claimName = v.getPersistentVolumeClaim().getClaimName();
      } else if (v.getEphemeral() != null) {
        claimName = pod.name() + "-" + v.getName();
        ephemeral = true;
      } else {
        continue;
      }
      PersistentVolumeClaim claim = cache.claim(ns, claimName);
      if (claim == null) {
        return Status.unschedulableAndUnresolvable(
            "persistentvolumeclaim \"" + claimName + "\" not found");
      }
      if (claim.getMetadata().getDeletionTimestamp() != null) {
        return Status.unschedulableAndUnresolvable(
            "persistentvolumeclaim \"" + claimName + "\" is being deleted");
      }
      if (ephemeral && !ownedBy(claim, pod)) {
        return Status.unschedulableAndUnresolvable(
            "PVC "
                + ns
                + "/"
                + claimName
                + " was not created for pod "
                + pod.key()
                + " (pod is not owner)");
      }
      if (Volumes.fullyBound(claim)) {
        bound.add(claim);
      } else if (delayBinding(claim) && Volumes.volumeName(claim).isEmpty()) {
        delayed.add(claim);
      } else {
        // Immediate, or pre-bound by name: the PV controller binds it, not the scheduler.
        unboundImmediate = true;
      }
    }
    if (unboundImmediate) {
      return Status.unschedulableAndUnresolvable(UNBOUND_IMMEDIATE);
    }
    if (bound.isEmpty() && delayed.isEmpty()) {
      state.put(Claims.class, NONE);
      return Status.success();
    }
    Map<String, List<PersistentVolume>> byClass = new HashMap<>();
    if (!delayed.isEmpty()) {
      Set<String> classes = new HashSet<>();
      delayed.forEach(c -> classes.add(Volumes.claimClass(c)));
      classes.forEach(c -> byClass.put(c, new ArrayList<>()));
      for (PersistentVolume pv : cache.volumes()) {
        List<PersistentVolume> of = byClass.get(Volumes.volumeClass(pv));
        if (of != null) {
          of.add(pv);
        }
      }
      // Small claims first, so a big volume is not taken by a claim a small one would do for.
      delayed.sort(Comparator.comparing(Volumes::requested));
    }
    state.put(Claims.class, new Claims(bound, delayed, byClass));
    state.put(Decisions.class, new Decisions());
    return Status.success();
  }

  private boolean delayBinding(PersistentVolumeClaim claim) {
    String className = Volumes.claimClass(claim);
    if (className.isEmpty()) {
      return false;
    }
    StorageClass sc = cache.storageClass(className);
    // Without a class object, or without a mode (no defaulting here), binding is Immediate.
    return sc != null && Volumes.WAIT_FOR_FIRST_CONSUMER.equals(sc.getVolumeBindingMode());
  }

  private static boolean ownedBy(PersistentVolumeClaim claim, PodInfo pod) {
    List<OwnerReference> refs = claim.getMetadata().getOwnerReferences();
    if (refs != null) {
      for (OwnerReference r : refs) {
        if (Boolean.TRUE.equals(r.getController()) && pod.uid().equals(r.getUid())) {
          return true;
        }
      }
    }
    return false;
  }

  // --- filter -------------------------------------------------------------------------------

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo nodeInfo) {
    Claims claims = state.get(Claims.class);
    if (claims == null || claims == NONE) {
      return Status.success();
    }
    Node node = nodeInfo.node();
    if (node == null) {
      return Status.error("node not found");
    }
    boolean boundOk = true;
    boolean volumesFound = true;
    for (PersistentVolumeClaim claim : claims.bound()) {
      PersistentVolume pv = cache.volume(Volumes.volumeName(claim));
      if (pv == null) {
        volumesFound = false;
        break;
      }
      if (!Volumes.nodeAffinityMatches(pv, node)) {
        boundOk = false;
        break;
      }
    }
    boolean unboundOk = true;
    List<StaticBinding> statics = new ArrayList<>();
    List<PersistentVolumeClaim> provisions = new ArrayList<>();
    List<PersistentVolumeClaim> toMatch = new ArrayList<>();
    for (PersistentVolumeClaim claim : claims.delayed()) {
      String selected = Volumes.selectedNode(claim);
      if (selected == null) {
        toMatch.add(claim);
      } else if (selected.equals(nodeInfo.name())) {
        provisions.add(claim);
      } else {
        // Provisioning for another node has begun: only that node will do.
        unboundOk = false;
        break;
      }
    }
    if (unboundOk) {
      Set<String> chosen = new HashSet<>();
      for (PersistentVolumeClaim claim : toMatch) {
        PersistentVolume pv =
            Volumes.findMatchingVolume(
                claim,
                claims.volumesByClass().getOrDefault(Volumes.claimClass(claim), List.of()),
                node,
                chosen);
        if (pv == null) {
          provisions.add(claim);
        } else {
          chosen.add(pv.getMetadata().getName());
          statics.add(new StaticBinding(claim, pv));
        }
      }
      for (PersistentVolumeClaim claim : provisions) {
        if (Volumes.selectedNode(claim) == null && !canProvision(claim, node)) {
          unboundOk = false;
          break;
        }
      }
    }
    List<String> reasons = new ArrayList<>();
    if (!boundOk) {
      reasons.add(NODE_CONFLICT);
    }
    if (!unboundOk) {
      reasons.add(BIND_CONFLICT);
    }
    if (!volumesFound) {
      reasons.add(PV_NOT_EXIST);
    }
    if (!reasons.isEmpty()) {
      return Status.unschedulableAndUnresolvable(reasons.toArray(String[]::new));
    }
    Decisions decisions = state.computeIfAbsent(Decisions.class, Decisions::new);
    decisions.byNode.put(nodeInfo.name(), new PodVolumes(statics, provisions));
    return Status.success();
  }

  /**
   * A class that provisions (upstream also asks CSIStorageCapacity, which Nauta does not have) and
   * whose allowed topologies admit the node.
   */
  private boolean canProvision(PersistentVolumeClaim claim, Node node) {
    StorageClass sc = cache.storageClass(Volumes.claimClass(claim));
    if (sc == null) {
      return false;
    }
    String provisioner = sc.getProvisioner();
    if (provisioner == null
        || provisioner.isEmpty()
        || Volumes.NO_PROVISIONER.equals(provisioner)) {
      return false;
    }
    return Volumes.topologyAllows(sc.getAllowedTopologies(), node);
  }

  // --- reserve ------------------------------------------------------------------------------

  @Override
  public Status reserve(CycleState state, PodInfo pod, NodeInfo node) {
    Decisions decisions = state.get(Decisions.class);
    PodVolumes chosen = decisions == null ? null : decisions.byNode.get(node.name());
    if (chosen == null || chosen.isEmpty()) {
      return Status.success();
    }
    List<PersistentVolume> volumes = new ArrayList<>();
    for (StaticBinding b : chosen.staticBindings()) {
      PersistentVolume pv = b.volume();
      PersistentVolumeClaim claim = b.claim();
      PersistentVolumeBuilder copy = new PersistentVolumeBuilder(pv);
      copy.editSpec()
          .withClaimRef(
              new ObjectReferenceBuilder()
                  .withKind("PersistentVolumeClaim")
                  .withApiVersion("v1")
                  .withNamespace(claim.getMetadata().getNamespace())
                  .withName(claim.getMetadata().getName())
                  .withUid(claim.getMetadata().getUid())
                  .withResourceVersion(claim.getMetadata().getResourceVersion())
                  .build())
          .endSpec();
      if (pv.getSpec().getClaimRef() == null) {
        copy.editMetadata().addToAnnotations(Volumes.BOUND_BY_CONTROLLER, "yes").endMetadata();
      }
      PersistentVolume assumed = copy.build();
      cache.assume(assumed, pv.getMetadata().getResourceVersion());
      volumes.add(assumed);
    }
    List<PersistentVolumeClaim> claims = new ArrayList<>();
    for (PersistentVolumeClaim claim : chosen.provisions()) {
      if (node.name().equals(Volumes.selectedNode(claim))) {
        // Selected already (an earlier attempt's write): only waiting is left.
        claims.add(claim);
        continue;
      }
      PersistentVolumeClaim assumed =
          new PersistentVolumeClaimBuilder(claim)
              .editMetadata()
              .addToAnnotations(Volumes.SELECTED_NODE, node.name())
              .endMetadata()
              .build();
      cache.assume(assumed, claim.getMetadata().getResourceVersion());
      claims.add(assumed);
    }
    state.put(Reserved.class, new Reserved(node.node(), volumes, claims));
    return Status.success();
  }

  @Override
  public void unreserve(CycleState state, PodInfo pod, String nodeName) {
    Reserved reserved = state.get(Reserved.class);
    if (reserved == null) {
      return;
    }
    reserved.volumes().forEach(cache::restore);
    reserved.claims().forEach(cache::restore);
    state.put(Reserved.class, null);
  }

  // --- pre-bind -----------------------------------------------------------------------------

  @Override
  public boolean hasPreBindWork(CycleState state, PodInfo pod, String nodeName) {
    Reserved reserved = state.get(Reserved.class);
    return reserved != null && !(reserved.volumes().isEmpty() && reserved.claims().isEmpty());
  }

  @Override
  public Mono<Status> preBind(CycleState state, PodInfo pod, String nodeName) {
    Reserved reserved = state.get(Reserved.class);
    if (reserved == null) {
      return Mono.just(Status.success());
    }
    if (binder == null) {
      return Mono.just(Status.error("binding volumes: no volume binder"));
    }
    return binder.bind(reserved, nodeName);
  }
}
