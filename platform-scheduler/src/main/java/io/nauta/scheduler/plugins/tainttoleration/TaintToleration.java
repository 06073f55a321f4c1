package io.nauta.scheduler.plugins.tainttoleration;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.nauta.scheduler.framework.ClusterSnapshot;
import io.nauta.scheduler.framework.CycleState;
import io.nauta.scheduler.framework.FilterPlugin;
import io.nauta.scheduler.framework.NodeInfo;
import io.nauta.scheduler.framework.PodInfo;
import io.nauta.scheduler.framework.ScorePlugin;
import io.nauta.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps pods off nodes with {@code NoSchedule} and {@code NoExecute} taints they do not tolerate,
 * and prefers nodes with fewer untolerated {@code PreferNoSchedule} taints.
 */
public final class TaintToleration implements FilterPlugin, ScorePlugin {

  public static final String NAME = "TaintToleration";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo nodeInfo) {
    Node node = nodeInfo.node();
    if (node == null) {
      return Status.error("node not found");
    }
    List<Taint> taints = node.getSpec() == null ? null : node.getSpec().getTaints();
    if (taints == null || taints.isEmpty()) {
      return Status.success();
    }
    List<Toleration> tolerations = tolerations(pod);
    for (int i = 0, n = taints.size(); i < n; i++) {
      Taint taint = taints.get(i);
      String effect = taint.getEffect();
      if ((Tolerations.NO_SCHEDULE.equals(effect) || Tolerations.NO_EXECUTE.equals(effect))
          && !Tolerations.tolerates(tolerations, taint)) {
        return Status.unschedulableAndUnresolvable(untoleratedReason(taint));
      }
    }
    return Status.success();
  }

  /** Kubernetes' reason, e.g. {@code node(s) had untolerated taint {dedicated: gpu}}. */
  public static String untoleratedReason(Taint taint) {
    return "node(s) had untolerated taint {"
        + Tolerations.orEmpty(taint.getKey())
        + ": "
        + Tolerations.orEmpty(taint.getValue())
        + "}";
  }

  // --- score ---------------------------------------------------------------------------------

  /** The pod's tolerations that can tolerate a PreferNoSchedule taint. */
  private record PreScoreState(List<Toleration> preferNoSchedule) {}

  @Override
  public void preScore(
      CycleState state, PodInfo pod, List<NodeInfo> feasible, ClusterSnapshot snapshot) {
    state.put(PreScoreState.class, preScoreState(pod));
  }

  private static PreScoreState preScoreState(PodInfo pod) {
    List<Toleration> out = new ArrayList<>();
    for (Toleration t : tolerations(pod)) {
      String effect = t.getEffect();
      if (effect == null || effect.isEmpty() || Tolerations.PREFER_NO_SCHEDULE.equals(effect)) {
        out.add(t);
      }
    }
    return new PreScoreState(out);
  }

  /** How many PreferNoSchedule taints of the node the pod does not tolerate (more is worse). */
  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo nodeInfo) {
    Node node = nodeInfo.node();
    List<Taint> taints = node == null || node.getSpec() == null ? null : node.getSpec().getTaints();
    if (taints == null || taints.isEmpty()) {
      return 0;
    }
    PreScoreState s = state.computeIfAbsent(PreScoreState.class, () -> preScoreState(pod));
    long count = 0;
    for (int i = 0, n = taints.size(); i < n; i++) {
      Taint taint = taints.get(i);
      if (Tolerations.PREFER_NO_SCHEDULE.equals(taint.getEffect())
          && !Tolerations.tolerates(s.preferNoSchedule(), taint)) {
        count++;
      }
    }
    return count;
  }

  @Override
  public void normalize(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
    ScorePlugin.defaultNormalize(scores, true);
  }

  private static List<Toleration> tolerations(PodInfo pod) {
    List<Toleration> t = pod.pod().getSpec() == null ? null : pod.pod().getSpec().getTolerations();
    return t == null ? List.of() : t;
  }
}
