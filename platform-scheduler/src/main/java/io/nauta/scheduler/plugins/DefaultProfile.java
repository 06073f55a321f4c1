package io.nauta.scheduler.plugins;

import io.nauta.scheduler.framework.Profile;
import io.nauta.scheduler.framework.Profile.WeightedScore;
import io.nauta.scheduler.plugins.interpodaffinity.InterPodAffinity;
import io.nauta.scheduler.plugins.nodeaffinity.NodeAffinity;
import io.nauta.scheduler.plugins.nodeports.NodePorts;
import io.nauta.scheduler.plugins.nodeready.NodeReady;
import io.nauta.scheduler.plugins.noderesources.BalancedAllocation;
import io.nauta.scheduler.plugins.noderesources.NodeResourcesFit;
import io.nauta.scheduler.plugins.nodeunschedulable.NodeUnschedulable;
import io.nauta.scheduler.plugins.spreading.SelectorSpread;
import io.nauta.scheduler.plugins.tainttoleration.TaintToleration;
import java.util.List;

/**
 * The plugins and weights of kube-scheduler's default profile, as far as Nauta has them: filters in
 * Kubernetes' order (NodeReady, Nauta's own, right after NodeUnschedulable), and SelectorSpread
 * with the weight Kubernetes gives PodTopologySpread.
 */
public final class DefaultProfile {

  private DefaultProfile() {}

  public static Profile create(String schedulerName) {
    TaintToleration taintToleration = new TaintToleration();
    NodeAffinity nodeAffinity = new NodeAffinity();
    NodeResourcesFit fit = new NodeResourcesFit();
    InterPodAffinity interPodAffinity = new InterPodAffinity();
    return new Profile(
        schedulerName,
        List.of(
            new NodeUnschedulable(),
            new NodeReady(),
            taintToleration,
            nodeAffinity,
            new NodePorts(),
            fit,
            interPodAffinity),
        List.of(
            new WeightedScore(taintToleration, 3),
            new WeightedScore(nodeAffinity, 2),
            new WeightedScore(fit, 1),
            new WeightedScore(new SelectorSpread(), 2),
            new WeightedScore(interPodAffinity, 2),
            new WeightedScore(new BalancedAllocation(), 1)));
  }
}
