package io.nauta.scheduler.plugins.nodeready;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.nauta.scheduler.framework.CycleState;
import io.nauta.scheduler.framework.FilterPlugin;
import io.nauta.scheduler.framework.NodeInfo;
import io.nauta.scheduler.framework.PodInfo;
import io.nauta.scheduler.framework.Status;
import io.nauta.scheduler.plugins.tainttoleration.Tolerations;
import java.util.List;

/**
 * Nauta's stand-in for the {@code NoSchedule} taints Kubernetes' node lifecycle controller puts on
 * nodes that are not ready: a node whose {@code Ready} condition is {@code False} counts as tainted
 * {@code node.kubernetes.io/not-ready:NoSchedule}, one whose condition is {@code Unknown} (or
 * anything else but {@code True}) as {@code node.kubernetes.io/unreachable:NoSchedule}. A node
 * without a Ready condition is ready (a bare Node object, as Kubernetes schedules onto it too). A
 * node being deleted takes no pods.
 *
 * <p>Only tolerations of the {@code NoSchedule} effect (or of every effect) let a pod through, as
 * with the real taints: every admitted pod carries the default 300-second {@code NoExecute}
 * tolerations of both keys, and those say how long a pod stays on a node that fails, not that new
 * pods may go there.
 */
public final class NodeReady implements FilterPlugin {

  public static final String NAME = "NodeReady";
  public static final String REASON_NOT_READY = "node(s) were not ready";
  public static final String REASON_BEING_DELETED = "node(s) were being deleted";

  public static final String TAINT_NOT_READY = "node.kubernetes.io/not-ready";
  public static final String TAINT_UNREACHABLE = "node.kubernetes.io/unreachable";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo nodeInfo) {
    if (nodeInfo.node() == null) {
      return Status.error("node not found");
    }
    if (nodeInfo.beingDeleted()) {
      return Status.unschedulableAndUnresolvable(REASON_BEING_DELETED);
    }
    // Worked out once per Node update (NodeInfo.setNode), not once per pod and node filtered.
    String ready = nodeInfo.readyCondition();
    if (ready == null || "True".equals(ready)) {
      return Status.success();
    }
    String key = "False".equals(ready) ? TAINT_NOT_READY : TAINT_UNREACHABLE;
    List<Toleration> tolerations =
        pod.pod().getSpec() == null ? null : pod.pod().getSpec().getTolerations();
    if (Tolerations.tolerates(tolerations, new Taint(Tolerations.NO_SCHEDULE, key, null, null))) {
      return Status.success();
    }
    return Status.unschedulableAndUnresolvable(REASON_NOT_READY);
  }
}
