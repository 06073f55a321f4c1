package io.nauta.scheduler.cycle;

import io.nauta.scheduler.framework.ClusterSnapshot;
import io.nauta.scheduler.framework.CycleState;
import io.nauta.scheduler.framework.FilterPlugin;
import io.nauta.scheduler.framework.NodeInfo;
import io.nauta.scheduler.framework.PodInfo;
import io.nauta.scheduler.framework.PreBindPlugin;
import io.nauta.scheduler.framework.Profile;
import io.nauta.scheduler.framework.ReservePlugin;
import io.nauta.scheduler.framework.ScorePlugin;
import io.nauta.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import reactor.core.publisher.Mono;

/**
 * One scheduling cycle, as kube-scheduler's generic scheduler runs it: pre-filter, filter the nodes
 * (starting where the last cycle stopped, and stopping once enough feasible nodes are found on big
 * clusters — Kubernetes' percentageOfNodesToScore), score the feasible ones with every weighted
 * score plugin, and pick the highest total (ties broken at random).
 *
 * <p>Not thread-safe: one cycle at a time, as {@code SchedulerCache.withSnapshot} runs them.
 */
public final class SchedulingAlgorithm {

  /** Below this many nodes every node is considered (Kubernetes' minFeasibleNodesToFind). */
  static final int MIN_FEASIBLE_NODES_TO_FIND = 100;

  private final Profile profile;
  private final int percentageOfNodesToScore;
  private final RandomGenerator random;
  private int nextStartNodeIndex;

  /**
   * @param percentageOfNodesToScore 1..100, or 0 for Kubernetes' adaptive default (50% minus one
   *     point per 125 nodes, at least 5%)
   */
  public SchedulingAlgorithm(
      Profile profile, int percentageOfNodesToScore, RandomGenerator random) {
    this.profile = profile;
    this.percentageOfNodesToScore = percentageOfNodesToScore;
    this.random = random;
  }

  public Profile profile() {
    return profile;
  }

  public ScheduleResult schedule(PodInfo pod, ClusterSnapshot snapshot) {
    List<NodeInfo> all = snapshot.nodes();
    if (all.isEmpty()) {
      return new ScheduleResult.Unschedulable(FitError.NO_NODES, true);
    }
    CycleState state = new CycleState();
    for (FilterPlugin plugin : profile.filters()) {
      Status status = plugin.preFilter(state, pod, snapshot);
      if (status.code() == Status.Code.ERROR) {
        return failed(plugin.name(), status);
      }
      if (!status.isSuccess()) {
        return new ScheduleResult.Unschedulable(
            FitError.preFilterMessage(all.size(), status.reasons()),
            status.code() == Status.Code.UNSCHEDULABLE);
      }
    }

    int toFind = numFeasibleNodesToFind(all.size());
    List<NodeInfo> feasible = new ArrayList<>(Math.min(toFind, all.size()));
    List<List<String>> rejections = new ArrayList<>();
    boolean resolvable = false;
    int evaluated = 0;
    for (; evaluated < all.size() && feasible.size() < toFind; evaluated++) {
      NodeInfo node = all.get((nextStartNodeIndex + evaluated) % all.size());
      Status status = runFilters(state, pod, node);
      if (status.isSuccess()) {
        feasible.add(node);
      } else if (status.code() == Status.Code.ERROR) {
        return failed("filter on " + node.name(), status);
      } else {
        rejections.add(status.reasons());
        resolvable |= status.code() == Status.Code.UNSCHEDULABLE;
      }
    }
    nextStartNodeIndex = (nextStartNodeIndex + evaluated) % all.size();

    if (feasible.isEmpty()) {
      return new ScheduleResult.Unschedulable(FitError.message(all.size(), rejections), resolvable);
    }
    NodeInfo chosen = feasible.size() == 1 ? feasible.get(0) : best(state, pod, feasible, snapshot);
    return new ScheduleResult.Scheduled(chosen.name(), evaluated, feasible.size(), state);
  }

  /**
   * Runs the reserve plugins for the node the cycle chose ({@code node}); on the first failure it
   * unreserves every one, as Kubernetes does, and returns that failure named for its plugin.
   */
  public Status reserve(PodInfo pod, ScheduleResult.Scheduled scheduled, NodeInfo node) {
    for (ReservePlugin plugin : profile.reservePlugins()) {
      Status status = plugin.reserve(scheduled.state(), pod, node);
      if (!status.isSuccess()) {
        unreserve(pod, scheduled);
        return Status.error(
            "running Reserve plugin \""
                + plugin.name()
                + "\": "
                + String.join(", ", status.reasons()));
      }
    }
    return Status.success();
  }

  /** Undoes {@link #reserve}, in reverse order: the pod will not be bound there after all. */
  public void unreserve(PodInfo pod, ScheduleResult.Scheduled scheduled) {
    List<ReservePlugin> plugins = profile.reservePlugins();
    for (int i = plugins.size() - 1; i >= 0; i--) {
      plugins.get(i).unreserve(scheduled.state(), pod, scheduled.nodeName());
    }
  }

  /**
   * Whether a pre-bind plugin has work for the pod before it is bound (else it is bound at once).
   */
  public boolean hasPreBindWork(PodInfo pod, ScheduleResult.Scheduled scheduled) {
    for (PreBindPlugin plugin : profile.preBindPlugins()) {
      if (plugin.hasPreBindWork(scheduled.state(), pod, scheduled.nodeName())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs the pre-bind plugins one after the other; the first failure ends it, as an error status
   * named for its plugin (Kubernetes' "running PreBind plugin …").
   */
  public Mono<Status> preBind(PodInfo pod, ScheduleResult.Scheduled scheduled) {
    Mono<Status> chain = Mono.just(Status.success());
    for (PreBindPlugin plugin : profile.preBindPlugins()) {
      chain =
          chain.flatMap(
              previous ->
                  !previous.isSuccess()
                      ? Mono.just(previous)
                      : plugin
                          .preBind(scheduled.state(), pod, scheduled.nodeName())
                          .map(
                              status ->
                                  status.isSuccess()
                                      ? status
                                      : Status.error(
                                          "running PreBind plugin \""
                                              + plugin.name()
                                              + "\": "
                                              + String.join(", ", status.reasons()))));
    }
    return chain;
  }

  private Status runFilters(CycleState state, PodInfo pod, NodeInfo node) {
    for (FilterPlugin plugin : profile.filters()) {
      Status status = plugin.filter(state, pod, node);
      if (!status.isSuccess()) {
        return status;
      }
    }
    return Status.success();
  }

  private NodeInfo best(
      CycleState state, PodInfo pod, List<NodeInfo> feasible, ClusterSnapshot snapshot) {
    long[] total = new long[feasible.size()];
    long[] scores = new long[feasible.size()];
    for (Profile.WeightedScore weighted : profile.scores()) {
      ScorePlugin plugin = weighted.plugin();
      plugin.preScore(state, pod, feasible, snapshot);
      for (int i = 0; i < scores.length; i++) {
        scores[i] = plugin.score(state, pod, feasible.get(i));
      }
      plugin.normalize(state, pod, feasible, scores);
      for (int i = 0; i < scores.length; i++) {
        total[i] += scores[i] * weighted.weight();
      }
    }
    // Reservoir sampling over the maxima: each top-scoring node is equally likely.
    int bestIndex = 0;
    int ties = 1;
    for (int i = 1; i < total.length; i++) {
      if (total[i] > total[bestIndex]) {
        bestIndex = i;
        ties = 1;
      } else if (total[i] == total[bestIndex]) {
        ties++;
        if (random.nextInt(ties) == 0) {
          bestIndex = i;
        }
      }
    }
    return feasible.get(bestIndex);
  }

  /** How many feasible nodes to look for before scoring, as Kubernetes computes it. */
  int numFeasibleNodesToFind(int allNodes) {
    if (allNodes < MIN_FEASIBLE_NODES_TO_FIND || percentageOfNodesToScore >= 100) {
      return allNodes;
    }
    int percentage = percentageOfNodesToScore;
    if (percentage <= 0) {
      percentage = Math.max(5, 50 - allNodes / 125);
    }
    int count = allNodes * percentage / 100;
    return Math.max(count, MIN_FEASIBLE_NODES_TO_FIND);
  }

  private static ScheduleResult failed(String where, Status status) {
    return new ScheduleResult.Failed(where + ": " + String.join(", ", status.reasons()));
  }
}
