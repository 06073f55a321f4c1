package io.nauta.scheduler.framework;

import java.util.List;

/** The nodes and the pods on them as the scheduler sees them during one cycle. */
public interface ClusterSnapshot {

  /** Every node, in a stable order. */
  List<NodeInfo> nodes();

  /** The node named {@code name}, or {@code null}. */
  NodeInfo get(String name);

  /**
   * Nodes holding at least one pod with pod affinity or anti-affinity terms, in the order of {@link
   * #nodes()}. This default filters every node; the scheduler cache's snapshot keeps the list.
   */
  default List<NodeInfo> nodesWithAffinityPods() {
    return nodes().stream().filter(n -> n.podsWithAffinity() > 0).toList();
  }

  /**
   * Nodes holding at least one pod with required pod anti-affinity terms, in the order of {@link
   * #nodes()}. This default filters every node; the scheduler cache's snapshot keeps the list.
   */
  default List<NodeInfo> nodesWithRequiredAntiAffinityPods() {
    return nodes().stream().filter(n -> !n.requiredAntiAffinityPods().isEmpty()).toList();
  }

  /** A snapshot of a fixed list of nodes: for tests and tools. */
  static ClusterSnapshot of(List<NodeInfo> nodes) {
    return new ClusterSnapshot() {
      @Override
      public List<NodeInfo> nodes() {
        return nodes;
      }

      @Override
      public NodeInfo get(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElse(null);
      }
    };
  }
}
