package io.nauta.scheduler.plugins;

import io.nauta.scheduler.framework.FilterPlugin;
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
import io.nauta.scheduler.plugins.volumebinding.VolumeBinding;
import java.util.ArrayList;
import java.util.List;

/**
 * The plugins and weights of kube-scheduler's default profile, as far as Nauta has them: filters in
 * Kubernetes' order (NodeReady, Nauta's own, right after NodeUnschedulable; VolumeBinding, which
 * also reserves and pre-binds, after NodeResourcesFit), and SelectorSpread with the weight
 * Kubernetes gives PodTopologySpread.
 */
public final class DefaultProfile {

  private DefaultProfile() {}

  /** The default profile without volumes: pods with persistent volume claims are not checked. */
  public static Profile create(String schedulerName) {
    return create(schedulerName, null);
  }

  /**
   * The default profile; {@code volumeBinding} (null: left out) filters between NodeResourcesFit
   * and InterPodAffinity, where Kubernetes runs it.
   */
  public static Profile create(String schedulerName, VolumeBinding volumeBinding) {
    TaintToleration taintToleration = new TaintToleration();
    NodeAffinity nodeAffinity = new NodeAffinity();
    NodeResourcesFit fit = new NodeResourcesFit();
    InterPodAffinity interPodAffinity = new InterPodAffinity();
    List<FilterPlugin> filters = new ArrayList<>();
    filters.add(new NodeUnschedulable());
    filters.add(new NodeReady());
    filters.add(taintToleration);
    filters.add(nodeAffinity);
    filters.add(new NodePorts());
    filters.add(fit);
    if (volumeBinding != null) {
      filters.add(volumeBinding);
    }
    filters.add(interPodAffinity);
    return new Profile(
        schedulerName,
        filters,
        List.of(
            new WeightedScore(taintToleration, 3),
            new WeightedScore(nodeAffinity, 2),
            new WeightedScore(fit, 1),
            new WeightedScore(new SelectorSpread(), 2),
            new WeightedScore(interPodAffinity, 2),
            new WeightedScore(new BalancedAllocation(), 1)));
  }
}
