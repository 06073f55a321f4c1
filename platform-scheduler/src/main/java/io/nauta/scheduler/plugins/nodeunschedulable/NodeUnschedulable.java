package io.nauta.scheduler.plugins.nodeunschedulable;

import io.fabric8.kubernetes.api.model.Taint;
import io.nauta.scheduler.framework.CycleState;
import io.nauta.scheduler.framework.FilterPlugin;
import io.nauta.scheduler.framework.NodeInfo;
import io.nauta.scheduler.framework.PodInfo;
import io.nauta.scheduler.framework.Status;
import io.nauta.scheduler.plugins.tainttoleration.Tolerations;

/**
 * Keeps pods off cordoned nodes ({@code spec.unschedulable}) unless they tolerate the {@code
 * node.kubernetes.io/unschedulable:NoSchedule} taint, as DaemonSet pods do.
 */
public final class NodeUnschedulable implements FilterPlugin {

  public static final String NAME = "NodeUnschedulable";
  public static final String REASON_UNSCHEDULABLE = "node(s) were unschedulable";
  public static final String REASON_UNKNOWN_CONDITION = "node(s) had unknown conditions";

  static final String TAINT_KEY = "node.kubernetes.io/unschedulable";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo nodeInfo) {
    if (nodeInfo.node() == null) {
      return Status.unschedulableAndUnresolvable(REASON_UNKNOWN_CONDITION);
    }
    if (!nodeInfo.unschedulable()) {
      return Status.success();
    }
    // A fresh taint per call: fabric8 model objects are mutable, so a shared constant is unsafe.
    Taint taint = new Taint(Tolerations.NO_SCHEDULE, TAINT_KEY, null, null);
    boolean tolerated =
        pod.pod().getSpec() != null
            && Tolerations.tolerates(pod.pod().getSpec().getTolerations(), taint);
    return tolerated ? Status.success() : Status.unschedulableAndUnresolvable(REASON_UNSCHEDULABLE);
  }
}
