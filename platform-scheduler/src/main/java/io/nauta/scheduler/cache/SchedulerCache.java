package io.nauta.scheduler.cache;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.scheduler.framework.ClusterSnapshot;
import io.nauta.scheduler.framework.NodeInfo;
import io.nauta.scheduler.framework.PodInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The scheduler's picture of the cluster: nodes and the pods counted on them. Bound pods come from
 * the informer; a pod the scheduler has just chosen a node for is <em>assumed</em> onto that node
 * at once, before its binding is written, so the next pod never sees the node's old free capacity.
 * The informer event that shows the pod bound confirms the assumption; a failed binding forgets it;
 * an assumption whose binding finished but that the informer never confirmed expires after a TTL,
 * and so does one whose binding never returned (its request was cut off or cancelled): once the
 * {@link #BINDING_TIMEOUT}, after which the scheduler gives up on a binding, has passed as well.
 *
 * <p>Every method that reads or changes the cache is synchronized, and each holds the lock only for
 * its own small change. A scheduling cycle does not hold it: {@link #withSnapshot} brings the
 * cycle's {@link ClusterSnapshot} up to date under the lock (copying only the nodes whose {@link
 * NodeInfo#generation()} changed since, as Kubernetes' {@code UpdateSnapshot} does) and runs the
 * cycle on that copy outside it, so the informers' event handlers and the binding answers on the
 * client's event loops never wait for a cycle. Cycles run one at a time (a lock of their own); a
 * pod a cycle assumes changes the cache, and so is in the next cycle's snapshot.
 */
public final class SchedulerCache {

  /**
   * The longest a binding request may take; the scheduler fails a binding that takes longer, so an
   * assumption still waiting for its binding after this (plus the TTL) is one nobody will finish.
   */
  public static final Duration BINDING_TIMEOUT = Duration.ofSeconds(45);

  private final Map<String, NodeInfo> nodes = new HashMap<>();
  private final Map<String, PodState> pods = new HashMap<>();
  private final Duration assumedTtl;
  private final LongSupplier nanoClock;
  private int knownNodes;
  // Nodes changed since the snapshot was last brought up to date (added, updated, removed, or
  // their pods changed): the only ones the next update looks at.
  private final Set<String> changedNodes = new HashSet<>();
  // Cycles run one at a time, on the one snapshot; taken before the cache's lock, never after.
  private final Object cycleLock = new Object();
  private final Snapshot snapshot = new Snapshot();

  public SchedulerCache(Duration assumedTtl) {
    this(assumedTtl, System::nanoTime);
  }

  SchedulerCache(Duration assumedTtl, LongSupplier nanoClock) {
    this.assumedTtl = assumedTtl;
    this.nanoClock = nanoClock;
  }

  /**
   * What a scheduling cycle does with the snapshot: outside the cache's lock, one cycle at a time.
   * It may call the cache (to assume its pod); the snapshot does not change while it runs.
   */
  public interface Cycle<R> {
    R run(ClusterSnapshot snapshot);
  }

  /** Brings the snapshot up to date with the cache, then runs {@code cycle} on it. */
  public <R> R withSnapshot(Cycle<R> cycle) {
    synchronized (cycleLock) {
      synchronized (this) {
        snapshot.update();
      }
      return cycle.run(snapshot);
    }
  }

  public synchronized int nodeCount() {
    return knownNodes;
  }

  // --- nodes -------------------------------------------------------------------------------

  public synchronized void addOrUpdateNode(Node node) {
    String name = node.getMetadata().getName();
    NodeInfo info = nodes.get(name);
    if (info == null) {
      info = new NodeInfo(name);
      nodes.put(name, info);
    }
    if (info.node() == null) {
      knownNodes++;
    }
    info.setNode(node);
    changedNodes.add(name);
  }

  public synchronized void removeNode(String name) {
    NodeInfo info = nodes.get(name);
    if (info == null) {
      return;
    }
    if (info.node() != null) {
      knownNodes--;
    }
    if (info.podCount() == 0) {
      nodes.remove(name);
    } else {
      // Pods still bound there keep their place until their own delete events arrive.
      info.clearNode();
    }
    changedNodes.add(name);
  }

  // --- pods --------------------------------------------------------------------------------

  /** Counts {@code pod} on {@code nodeName} before its binding is written. */
  public synchronized void assume(PodInfo pod, String nodeName) {
    PodState previous = pods.get(pod.uid());
    if (previous != null) {
      throw new IllegalStateException("pod " + pod.key() + " is already in the cache");
    }
    nodeInfo(nodeName).addPod(pod);
    changedNodes.add(nodeName);
    PodState state = new PodState(pod, nodeName, true);
    state.deadline = nanoClock.getAsLong() + BINDING_TIMEOUT.plus(assumedTtl).toNanos();
    pods.put(pod.uid(), state);
  }

  /**
   * The pod waits for pre-bind work (its volumes) that may take longer than a binding: its
   * assumption does not expire until {@link #finishBinding} or {@link #forget}, which whoever holds
   * it must call.
   */
  public synchronized void hold(String uid) {
    PodState state = pods.get(uid);
    if (state != null && state.assumed) {
      state.held = true;
    }
  }

  /** The binding was written: the assumption now expires if the informer never confirms it. */
  public synchronized void finishBinding(String uid) {
    PodState state = pods.get(uid);
    if (state != null && state.assumed) {
      state.held = false;
      state.deadline = nanoClock.getAsLong() + assumedTtl.toNanos();
    }
  }

  /** The binding failed: the pod no longer counts anywhere. */
  public synchronized void forget(String uid) {
    PodState state = pods.get(uid);
    if (state != null && state.assumed) {
      removeFrom(state);
      pods.remove(uid);
    }
  }

  public synchronized boolean isAssumed(String uid) {
    PodState state = pods.get(uid);
    return state != null && state.assumed;
  }

  /**
   * A bound pod as the informer sees it (added or updated); confirms an assumption. Pods that have
   * finished (Succeeded or Failed) no longer hold resources and are removed.
   */
  public synchronized void addOrUpdatePod(Pod pod) {
    String uid = pod.getMetadata().getUid();
    String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (nodeName == null || nodeName.isEmpty() || isTerminal(pod)) {
      removePod(uid);
      return;
    }
    PodState previous = pods.remove(uid);
    if (previous != null) {
      removeFrom(previous);
    }
    PodInfo info = PodInfo.of(pod);
    nodeInfo(nodeName).addPod(info);
    changedNodes.add(nodeName);
    pods.put(uid, new PodState(info, nodeName, false));
  }

  public synchronized void removePod(String uid) {
    PodState state = pods.remove(uid);
    if (state != null) {
      removeFrom(state);
    }
  }

  /**
   * Drops assumptions the informer never confirmed: the TTL after their binding finished, or the
   * binding timeout plus the TTL after they were made when their binding never returned.
   */
  public synchronized int expireAssumed() {
    long now = nanoClock.getAsLong();
    int expired = 0;
    for (Iterator<PodState> it = pods.values().iterator(); it.hasNext(); ) {
      PodState state = it.next();
      if (state.assumed && !state.held && now - state.deadline > 0) {
        removeFrom(state);
        it.remove();
        expired++;
      }
    }
    return expired;
  }

  private void removeFrom(PodState state) {
    NodeInfo info = nodes.get(state.nodeName);
    if (info != null) {
      info.removePod(state.pod.uid());
      changedNodes.add(state.nodeName);
      if (info.node() == null && info.podCount() == 0) {
        nodes.remove(state.nodeName);
      }
    }
  }

  private NodeInfo nodeInfo(String name) {
    return nodes.computeIfAbsent(name, NodeInfo::new);
  }

  private static boolean isTerminal(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  /**
   * The nodes as one cycle sees them: a copy of each node that has a Node object, brought up to
   * date under the cache's lock and read by the cycle outside it. Its NodeInfos are its own
   * (updated in place from the cache's), so its lists of nodes stay valid from one update to the
   * next; the lists are rebuilt only when a node comes or goes, or starts or stops holding affinity
   * pods.
   */
  private final class Snapshot implements ClusterSnapshot {
    private final Map<String, NodeInfo> byName = new HashMap<>();
    private List<NodeInfo> nodeList = List.of();
    private List<NodeInfo> withAffinityPods = List.of();
    private List<NodeInfo> withRequiredAntiAffinityPods = List.of();

    /** Copies the nodes changed since the last update; under the cache's lock. */
    void update() {
      boolean nodesChanged = false;
      boolean affinityChanged = false;
      for (String name : changedNodes) {
        NodeInfo live = nodes.get(name);
        NodeInfo copy = byName.get(name);
        if (live == null || live.node() == null) {
          if (copy != null) {
            byName.remove(name);
            nodesChanged = true;
          }
          continue;
        }
        if (copy == null) {
          copy = new NodeInfo(name);
          byName.put(name, copy);
          nodesChanged = true;
        } else if (copy.generation() == live.generation()) {
          continue;
        }
        boolean hadAffinity = copy.podsWithAffinity() > 0;
        boolean hadAntiAffinity = !copy.requiredAntiAffinityPods().isEmpty();
        copy.copyFrom(live);
        affinityChanged |=
            hadAffinity != copy.podsWithAffinity() > 0
                || hadAntiAffinity != !copy.requiredAntiAffinityPods().isEmpty();
      }
      changedNodes.clear();
      if (nodesChanged) {
        List<NodeInfo> list = new ArrayList<>(byName.values());
        list.sort((a, b) -> a.name().compareTo(b.name()));
        nodeList = List.copyOf(list);
      }
      if (nodesChanged || affinityChanged) {
        withAffinityPods = nodeList.stream().filter(n -> n.podsWithAffinity() > 0).toList();
        withRequiredAntiAffinityPods =
            nodeList.stream().filter(n -> !n.requiredAntiAffinityPods().isEmpty()).toList();
      }
    }

    @Override
    public List<NodeInfo> nodes() {
      return nodeList;
    }

    @Override
    public NodeInfo get(String name) {
      return byName.get(name);
    }

    @Override
    public List<NodeInfo> nodesWithAffinityPods() {
      return withAffinityPods;
    }

    @Override
    public List<NodeInfo> nodesWithRequiredAntiAffinityPods() {
      return withRequiredAntiAffinityPods;
    }
  }

  private static final class PodState {
    final PodInfo pod;
    final String nodeName;
    final boolean assumed;
    long deadline;
    boolean held;

    PodState(PodInfo pod, String nodeName, boolean assumed) {
      this.pod = pod;
      this.nodeName = nodeName;
      this.assumed = assumed;
    }
  }
}
