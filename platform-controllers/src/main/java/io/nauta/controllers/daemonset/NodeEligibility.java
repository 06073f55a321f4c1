package io.nauta.controllers.daemonset;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.nauta.controllers.nodelifecycle.TaintEvictions;
import io.nauta.core.selector.NodeSelectorMatcher;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Upstream's {@code NodeShouldRunDaemonPod}: whether a node should run the daemon pod (its name,
 * node selector and required node affinity fit, and it has no NoSchedule or NoExecute taint the pod
 * does not tolerate) and whether a pod already there may stay (no untolerated NoExecute taint).
 */
record NodeEligibility(boolean shouldRun, boolean shouldContinueRunning) {

  private static final NodeEligibility NO = new NodeEligibility(false, false);
  private static final NodeEligibility YES = new NodeEligibility(true, true);

  static NodeEligibility of(Node node, DaemonSet ds) {
    PodSpec spec = DaemonPods.specWithTolerations(ds);
    String nodeName = node.getMetadata().getName();
    if (spec.getNodeName() != null
        && !spec.getNodeName().isEmpty()
        && !spec.getNodeName().equals(nodeName)) {
      return NO;
    }
    if (!fitsAffinity(spec, node)) {
      return NO;
    }
    List<Taint> taints = node.getSpec() == null ? null : node.getSpec().getTaints();
    if (taints == null) {
      return YES;
    }
    boolean fits = true;
    boolean mayStay = true;
    for (Taint taint : taints) {
      boolean hard =
          "NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect());
      if (hard && !tolerated(spec.getTolerations(), taint)) {
        fits = false;
        if ("NoExecute".equals(taint.getEffect())) {
          mayStay = false;
        }
      }
    }
    return fits ? YES : new NodeEligibility(false, mayStay);
  }

  /** The node selector's labels all present, and a required node affinity term matching. */
  private static boolean fitsAffinity(PodSpec spec, Node node) {
    Map<String, String> labels = NodeSelectorMatcher.labels(node);
    if (spec.getNodeSelector() != null) {
      for (Map.Entry<String, String> e : spec.getNodeSelector().entrySet()) {
        if (!Objects.equals(labels.get(e.getKey()), e.getValue())) {
          return false;
        }
      }
    }
    Affinity a = spec.getAffinity();
    if (a == null
        || a.getNodeAffinity() == null
        || a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return true;
    }
    return NodeSelectorMatcher.of(
            a.getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms())
        .matches(node);
  }

  private static boolean tolerated(List<Toleration> tolerations, Taint taint) {
    return tolerations != null
        && tolerations.stream().anyMatch(t -> TaintEvictions.tolerates(t, taint));
  }
}
