package io.nauta.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The changes the node lifecycle controller makes to a Node, as pure functions. */
public final class NodeConditions {

  public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  public static final String NO_SCHEDULE = "NoSchedule";
  public static final String NO_EXECUTE = "NoExecute";
  public static final String NODE_STATUS_UNKNOWN = "NodeStatusUnknown";
  public static final String STATUS_UNKNOWN_MESSAGE = "Kubelet stopped posting node status.";

  /** The conditions a silent node's kubelet can no longer vouch for. */
  static final List<String> MONITORED =
      List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");

  private NodeConditions() {}

  public static Optional<NodeCondition> condition(Node node, String type) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return node.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }

  /**
   * The node with {@link #MONITORED} conditions {@code Unknown} (reason {@code NodeStatusUnknown}),
   * or empty when they already are. Heartbeats are kept: they are the kubelet's, not ours.
   */
  public static Optional<Node> markUnknown(Node node, Instant now) {
    List<NodeCondition> conditions = new ArrayList<>(existing(node));
    boolean changed = false;
    for (String type : MONITORED) {
      NodeCondition c = find(conditions, type);
      if (c != null
          && "Unknown".equals(c.getStatus())
          && NODE_STATUS_UNKNOWN.equals(c.getReason())) {
        continue;
      }
      NodeConditionBuilder b =
          c == null ? new NodeConditionBuilder().withType(type) : new NodeConditionBuilder(c);
      NodeCondition unknown =
          b.withStatus("Unknown")
              .withReason(NODE_STATUS_UNKNOWN)
              .withMessage(STATUS_UNKNOWN_MESSAGE)
              .withLastTransitionTime(timestamp(now))
              .build();
      replace(conditions, type, unknown);
      changed = true;
    }
    if (!changed) {
      return Optional.empty();
    }
    return Optional.of(
        new NodeBuilder(node).editOrNewStatus().withConditions(conditions).endStatus().build());
  }

  /**
   * For a node whose Lease is renewed again: the conditions this controller set to Unknown go back
   * to healthy (Ready True, pressures False), as a kubelet posting status would set them; empty
   * when none of ours are left. Conditions the kubelet wrote itself are never touched.
   */
  public static Optional<Node> restore(Node node, Instant now) {
    List<NodeCondition> conditions = new ArrayList<>(existing(node));
    boolean changed = false;
    for (String type : MONITORED) {
      NodeCondition c = find(conditions, type);
      if (c == null || !NODE_STATUS_UNKNOWN.equals(c.getReason())) {
        continue;
      }
      boolean ready = type.equals("Ready");
      replace(
          conditions,
          type,
          new NodeConditionBuilder(c)
              .withStatus(ready ? "True" : "False")
              .withReason(ready ? "KubeletReady" : "KubeletHas" + noPressure(type))
              .withMessage(
                  ready ? "kubelet is posting ready status" : "kubelet has " + noPressure(type))
              .withLastTransitionTime(timestamp(now))
              .withLastHeartbeatTime(timestamp(now))
              .build());
      changed = true;
    }
    if (!changed) {
      return Optional.empty();
    }
    return Optional.of(
        new NodeBuilder(node).editOrNewStatus().withConditions(conditions).endStatus().build());
  }

  private static String noPressure(String type) {
    return switch (type) {
      case "MemoryPressure" -> "SufficientMemory";
      case "DiskPressure" -> "NoDiskPressure";
      default -> "SufficientPID";
    };
  }

  /** The node with both unreachable taints (added at {@code now}), or empty when it has them. */
  public static Optional<Node> taintUnreachable(Node node, Instant now) {
    return taintUnreachable(node, now, List.of(NO_SCHEDULE, NO_EXECUTE));
  }

  /**
   * The node with the unreachable taint of each of {@code effects} (added at {@code now}), or empty
   * when it has them all.
   */
  public static Optional<Node> taintUnreachable(Node node, Instant now, List<String> effects) {
    List<Taint> taints = new ArrayList<>(taints(node));
    boolean changed = false;
    for (String effect : effects) {
      if (findTaint(taints, effect).isEmpty()) {
        taints.add(
            new TaintBuilder()
                .withKey(UNREACHABLE)
                .withEffect(effect)
                .withTimeAdded(timestamp(now))
                .build());
        changed = true;
      }
    }
    if (!changed) {
      return Optional.empty();
    }
    return Optional.of(new NodeBuilder(node).editOrNewSpec().withTaints(taints).endSpec().build());
  }

  /** The node without the unreachable taints, or empty when it has none. */
  public static Optional<Node> untaint(Node node) {
    List<Taint> taints = new ArrayList<>(taints(node));
    if (!taints.removeIf(t -> UNREACHABLE.equals(t.getKey()))) {
      return Optional.empty();
    }
    return Optional.of(new NodeBuilder(node).editOrNewSpec().withTaints(taints).endSpec().build());
  }

  /**
   * The node without the unreachable {@code NoExecute} taint (its {@code NoSchedule} one stays), or
   * empty when it has none: what stops evictions while every zone is disrupted.
   */
  public static Optional<Node> withoutNoExecute(Node node) {
    List<Taint> taints = new ArrayList<>(taints(node));
    if (!taints.removeIf(t -> UNREACHABLE.equals(t.getKey()) && NO_EXECUTE.equals(t.getEffect()))) {
      return Optional.empty();
    }
    return Optional.of(new NodeBuilder(node).editOrNewSpec().withTaints(taints).endSpec().build());
  }

  public static Optional<Taint> unreachableNoExecute(Node node) {
    return findTaint(taints(node), NO_EXECUTE);
  }

  private static Optional<Taint> findTaint(List<Taint> taints, String effect) {
    return taints.stream()
        .filter(t -> UNREACHABLE.equals(t.getKey()) && effect.equals(t.getEffect()))
        .findFirst();
  }

  private static List<Taint> taints(Node node) {
    return node.getSpec() == null || node.getSpec().getTaints() == null
        ? List.of()
        : node.getSpec().getTaints();
  }

  private static List<NodeCondition> existing(Node node) {
    return node.getStatus() == null || node.getStatus().getConditions() == null
        ? List.of()
        : node.getStatus().getConditions();
  }

  private static NodeCondition find(List<NodeCondition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  private static void replace(List<NodeCondition> conditions, String type, NodeCondition c) {
    for (int i = 0; i < conditions.size(); i++) {
      if (type.equals(conditions.get(i).getType())) {
        conditions.set(i, c);
        return;
      }
    }
    conditions.add(c);
  }

  static String timestamp(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
