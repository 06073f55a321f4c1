package io.nauta.scheduler.framework;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node and the pods the scheduler counts on it (bound pods from the informer plus pods it has
 * assumed but not yet seen bound), with the running totals plugins read: requested resources, host
 * ports in use, how many pods carry affinity terms, and what the node filters read of the Node
 * object (its Ready condition, whether it is cordoned or being deleted), worked out once per Node
 * update instead of once per pod filtered. The scheduler cache changes it; plugins only read it.
 *
 * <p>Every change gives the node a new {@link #generation()} from one counter for all nodes, as
 * Kubernetes' NodeInfo does, so the cache copies into a cycle's snapshot only the nodes that
 * changed since it last did.
 */
public final class NodeInfo {

  private static final AtomicLong GENERATIONS = new AtomicLong();

  private final String name;
  private long generation;
  private Node node;
  private String readyCondition;
  private boolean beingDeleted;
  private boolean unschedulable;
  private Resources allocatable = new Resources();
  private long allocatablePods;
  private final Map<String, PodInfo> pods = new LinkedHashMap<>();
  private Resources requested = new Resources();
  private Resources nonZeroRequested = new Resources();
  private final List<HostPort> usedPorts = new ArrayList<>();
  private final Map<String, PodInfo> affinityPods = new LinkedHashMap<>();
  private final Map<String, PodInfo> requiredAntiAffinityPods = new LinkedHashMap<>();
  // Live pods (no deletionTimestamp) per controller owner, kept as pods come and go, so spreading
  // reads a node's count of siblings in O(1) instead of scanning its pods for every pod it places.
  private final Map<PodInfo.Owner, Integer> liveByOwner = new HashMap<>();

  public NodeInfo(String name) {
    this.name = name;
  }

  /** A node with these pods on it: for tests and tools. */
  public static NodeInfo of(Node node, PodInfo... pods) {
    NodeInfo info = new NodeInfo(node.getMetadata().getName());
    info.setNode(node);
    for (PodInfo p : pods) {
      info.addPod(p);
    }
    return info;
  }

  public String name() {
    return name;
  }

  /** The Node object, or {@code null} while only pods bound to an unknown node were seen. */
  public Node node() {
    return node;
  }

  /** Changes with every change of this node or its pods; never the same for two states. */
  public long generation() {
    return generation;
  }

  /**
   * The status of the node's {@code Ready} condition ({@code ""} when the condition has none), or
   * {@code null} when the node reports no Ready condition or is unknown.
   */
  public String readyCondition() {
    return readyCondition;
  }

  /** The Node object has a deletionTimestamp. */
  public boolean beingDeleted() {
    return beingDeleted;
  }

  /** The node is cordoned ({@code spec.unschedulable}). */
  public boolean unschedulable() {
    return unschedulable;
  }

  public Map<String, String> labels() {
    Map<String, String> labels = node == null ? null : node.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  /** Status allocatable (capacity when allocatable is not reported) without {@code pods}. */
  public Resources allocatable() {
    return allocatable;
  }

  /** How many pods the node takes; Kubernetes' default of 110 when it does not say. */
  public long allocatablePods() {
    return allocatablePods;
  }

  public Resources requested() {
    return requested;
  }

  public Resources nonZeroRequested() {
    return nonZeroRequested;
  }

  public Collection<PodInfo> pods() {
    return Collections.unmodifiableCollection(pods.values());
  }

  public int podCount() {
    return pods.size();
  }

  public List<HostPort> usedPorts() {
    return Collections.unmodifiableList(usedPorts);
  }

  public int podsWithAffinity() {
    return affinityPods.size();
  }

  /** The pods here with pod affinity or anti-affinity terms (required or preferred). */
  public Collection<PodInfo> affinityPods() {
    return Collections.unmodifiableCollection(affinityPods.values());
  }

  /** The pods here with required pod anti-affinity terms. */
  public Collection<PodInfo> requiredAntiAffinityPods() {
    return Collections.unmodifiableCollection(requiredAntiAffinityPods.values());
  }

  /**
   * How many pods here have {@code owner} as their controller and are not being deleted: the
   * siblings spreading counts.
   */
  public int liveReplicasOf(PodInfo.Owner owner) {
    return liveByOwner.getOrDefault(owner, 0);
  }

  public void setNode(Node node) {
    this.generation = GENERATIONS.incrementAndGet();
    this.node = node;
    this.readyCondition = readyCondition(node);
    this.beingDeleted = node.getMetadata().getDeletionTimestamp() != null;
    this.unschedulable =
        node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
    NodeStatus status = node.getStatus();
    Map<String, Quantity> alloc = null;
    if (status != null) {
      alloc = status.getAllocatable();
      if (alloc == null || alloc.isEmpty()) {
        alloc = status.getCapacity();
      }
    }
    Resources r = Resources.of(alloc);
    Long pods = r.scalars().get(Resources.PODS);
    this.allocatablePods = pods == null ? 110 : pods;
    r.set(Resources.PODS, 0);
    this.allocatable = r;
  }

  /** The Node object went away while pods are still counted here. */
  public void clearNode() {
    this.generation = GENERATIONS.incrementAndGet();
    this.node = null;
    this.readyCondition = null;
    this.beingDeleted = false;
    this.unschedulable = false;
    this.allocatable = new Resources();
    this.allocatablePods = 0;
  }

  public boolean hasPod(String uid) {
    return pods.containsKey(uid);
  }

  public void addPod(PodInfo pod) {
    generation = GENERATIONS.incrementAndGet();
    PodInfo previous = pods.put(pod.uid(), pod);
    if (previous != null) {
      subtract(previous);
    }
    requested.add(pod.requests());
    nonZeroRequested.add(pod.nonZeroRequests());
    usedPorts.addAll(pod.hostPorts());
    if (pod.hasPodAffinityTerms()) {
      affinityPods.put(pod.uid(), pod);
    }
    if (!pod.requiredAntiAffinityTerms().isEmpty()) {
      requiredAntiAffinityPods.put(pod.uid(), pod);
    }
    PodInfo.Owner owner = pod.liveOwner();
    if (owner != null) {
      liveByOwner.merge(owner, 1, Integer::sum);
    }
  }

  /** Removes the pod with {@code uid}; false if it was not here. */
  public boolean removePod(String uid) {
    PodInfo removed = pods.remove(uid);
    if (removed == null) {
      return false;
    }
    generation = GENERATIONS.incrementAndGet();
    subtract(removed);
    return true;
  }

  /**
   * Makes this node the same as {@code other} (of the same name), generation included, sharing only
   * the immutable parts (the Node and the PodInfos): what a snapshot holds of a changed node.
   */
  public void copyFrom(NodeInfo other) {
    if (!name.equals(other.name)) {
      throw new IllegalArgumentException("copying " + other.name + " onto " + name);
    }
    generation = other.generation;
    node = other.node;
    readyCondition = other.readyCondition;
    beingDeleted = other.beingDeleted;
    unschedulable = other.unschedulable;
    allocatable = other.allocatable.copy();
    allocatablePods = other.allocatablePods;
    pods.clear();
    pods.putAll(other.pods);
    requested = other.requested.copy();
    nonZeroRequested = other.nonZeroRequested.copy();
    usedPorts.clear();
    usedPorts.addAll(other.usedPorts);
    affinityPods.clear();
    affinityPods.putAll(other.affinityPods);
    requiredAntiAffinityPods.clear();
    requiredAntiAffinityPods.putAll(other.requiredAntiAffinityPods);
    liveByOwner.clear();
    liveByOwner.putAll(other.liveByOwner);
  }

  /** The status of the node's Ready condition, or {@code null} when it reports none. */
  private static String readyCondition(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return null;
    }
    for (NodeCondition c : node.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return c.getStatus() == null ? "" : c.getStatus();
      }
    }
    return null;
  }

  private void subtract(PodInfo pod) {
    requested.subtract(pod.requests());
    nonZeroRequested.subtract(pod.nonZeroRequests());
    for (HostPort p : pod.hostPorts()) {
      usedPorts.remove(p);
    }
    affinityPods.remove(pod.uid());
    requiredAntiAffinityPods.remove(pod.uid());
    PodInfo.Owner owner = pod.liveOwner();
    if (owner != null) {
      liveByOwner.computeIfPresent(owner, (o, n) -> n == 1 ? null : n - 1);
    }
  }

  @Override
  public String toString() {
    return name + " (" + pods.size() + " pods, requested " + requested + ")";
  }
}
