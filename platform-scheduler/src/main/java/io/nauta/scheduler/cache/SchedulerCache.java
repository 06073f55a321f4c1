package io.nauta.scheduler.cache;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.scheduler.framework.ClusterSnapshot;
import io.nauta.scheduler.framework.NodeInfo;
import io.nauta.scheduler.framework.PodInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
 * <p>Every method is synchronized; a scheduling cycle runs inside {@link #withSnapshot} so it sees
 * one consistent state and assumes its pod before any other change lands.
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
  private List<NodeInfo> nodeList = List.of();
  private final ClusterSnapshot snapshot = new Snapshot();

  public SchedulerCache(Duration assumedTtl) {
    this(assumedTtl, System::nanoTime);
  }

  SchedulerCache(Duration assumedTtl, LongSupplier nanoClock) {
    this.assumedTtl = assumedTtl;
    this.nanoClock = nanoClock;
  }

  /** What a scheduling cycle does with the snapshot, under the cache's lock. */
  public interface Cycle<R> {
    R run(ClusterSnapshot snapshot);
  }

  public synchronized <R> R withSnapshot(Cycle<R> cycle) {
    return cycle.run(snapshot);
  }

  public synchronized int nodeCount() {
    return nodeList.size();
  }

  // --- nodes -------------------------------------------------------------------------------

  public synchronized void addOrUpdateNode(Node node) {
    String name = node.getMetadata().getName();
    NodeInfo info = nodes.get(name);
    if (info == null) {
      info = new NodeInfo(name);
      nodes.put(name, info);
    }
    boolean wasKnown = info.node() != null;
    info.setNode(node);
    if (!wasKnown) {
      rebuildNodeList();
    }
  }

  public synchronized void removeNode(String name) {
    NodeInfo info = nodes.get(name);
    if (info == null) {
      return;
    }
    if (info.podCount() == 0) {
      nodes.remove(name);
    } else {
      // Pods still bound there keep their place until their own delete events arrive.
      info.clearNode();
    }
    rebuildNodeList();
  }

  // --- pods --------------------------------------------------------------------------------

  /** Counts {@code pod} on {@code nodeName} before its binding is written. */
  public synchronized void assume(PodInfo pod, String nodeName) {
    PodState previous = pods.get(pod.uid());
    if (previous != null) {
      throw new IllegalStateException("pod " + pod.key() + " is already in the cache");
    }
    nodeInfo(nodeName).addPod(pod);
    PodState state = new PodState(pod, nodeName, true);
    state.deadline = nanoClock.getAsLong() + BINDING_TIMEOUT.plus(assumedTtl).toNanos();
    pods.put(pod.uid(), state);
  }

  /** The binding was written: the assumption now expires if the informer never confirms it. */
  public synchronized void finishBinding(String uid) {
    PodState state = pods.get(uid);
    if (state != null && state.assumed) {
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
      if (state.assumed && now - state.deadline > 0) {
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
      if (info.node() == null && info.podCount() == 0) {
        nodes.remove(state.nodeName);
      }
    }
  }

  private NodeInfo nodeInfo(String name) {
    return nodes.computeIfAbsent(name, NodeInfo::new);
  }

  private void rebuildNodeList() {
    List<NodeInfo> list = new ArrayList<>();
    for (NodeInfo info : nodes.values()) {
      if (info.node() != null) {
        list.add(info);
      }
    }
    list.sort((a, b) -> a.name().compareTo(b.name()));
    nodeList = List.copyOf(list);
  }

  private static boolean isTerminal(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private final class Snapshot implements ClusterSnapshot {
    @Override
    public List<NodeInfo> nodes() {
      return nodeList;
    }

    @Override
    public NodeInfo get(String name) {
      NodeInfo info = nodes.get(name);
      return info == null || info.node() == null ? null : info;
    }
  }

  private static final class PodState {
    final PodInfo pod;
    final String nodeName;
    final boolean assumed;
    long deadline;

    PodState(PodInfo pod, String nodeName, boolean assumed) {
      this.pod = pod;
      this.nodeName = nodeName;
      this.assumed = assumed;
    }
  }
}
