package io.nauta.federation.scheduling;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.nauta.federation.api.Cluster;
import io.nauta.federation.api.GracefulEvictionTask;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.Placement;
import io.nauta.federation.api.ResourceBindingSpec;
import io.nauta.federation.api.ResourceBindingStatus;
import io.nauta.federation.api.TargetCluster;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One scheduling pass for a binding, without I/O: Karmada's taint manager (evict the binding from a
 * target cluster tainted {@code NoExecute} that its {@code clusterTolerations} do not tolerate, or
 * no longer tolerate after {@code tolerationSeconds}, keeping a graceful eviction task so the old
 * objects stay until the replacements are available), then its generic scheduler: filter (deleting
 * clusters, {@code clusterAffinity}, untolerated {@code NoSchedule}/{@code NoExecute} taints on
 * clusters the binding is not on yet, clusters being evicted), score (100 for the clusters the
 * binding is on), select ({@link SpreadSelector}), assign ({@link ReplicaAssigner}). Templates
 * without replicas (ConfigMaps, Services...) go to every selected cluster with none. A cluster that
 * comes back gets nothing back: replicas move only when the binding changes or a rescheduling is
 * asked for ({@code rescheduleTriggeredAt}).
 */
public final class BindingScheduler {

  private BindingScheduler() {}

  public static ScheduleResult schedule(
      ResourceBindingSpec spec,
      ResourceBindingStatus status,
      Collection<Cluster> clusters,
      Instant now) {
    Placement placement = spec.placement();
    Map<String, Cluster> byName = new TreeMap<>();
    clusters.forEach(c -> byName.put(Clusters.name(c), c));
    List<Toleration> tolerations = placement == null ? null : placement.clusterTolerations();

    // Taint manager: NoExecute taints the binding does not tolerate evict it from the cluster.
    Map<String, Integer> targets = new LinkedHashMap<>();
    List<GracefulEvictionTask> evictions = new ArrayList<>();
    Set<String> evicting = new HashSet<>();
    if (spec.gracefulEvictionTasks() != null) {
      spec.gracefulEvictionTasks().forEach(t -> evicting.add(t.fromCluster()));
    }
    Duration recheck = null;
    for (TargetCluster target : list(spec.clusters())) {
      Cluster cluster = byName.get(target.name());
      Optional<Duration> due =
          cluster == null ? Optional.empty() : evictionDue(cluster, tolerations, now);
      if (due.isPresent() && due.get().isZero()) {
        if (evicting.add(target.name())) {
          evictions.add(
              new GracefulEvictionTask(
                  target.name(),
                  null,
                  number(target.replicas()) > 0 ? target.replicas() : null,
                  Karmada.EVICTION_REASON_TAINT_UNTOLERATED,
                  "cluster(s) had untolerated taint {"
                      + untoleratedNoExecute(cluster, tolerations)
                      + "}",
                  Karmada.EVICTION_PRODUCER_TAINT_MANAGER,
                  null,
                  null,
                  null,
                  now.toString(),
                  null));
        }
        continue;
      }
      if (due.isPresent()) {
        recheck = recheck == null || due.get().compareTo(recheck) < 0 ? due.get() : recheck;
      }
      targets.put(target.name(), number(target.replicas()));
    }

    try {
      List<Candidate> feasible = filter(spec, byName.values(), targets.keySet(), evicting);
      int replicas = number(spec.replicas());
      List<Candidate> selected = SpreadSelector.select(placement, feasible, replicas);
      if (selected.isEmpty()) {
        throw new Unfit(ScheduleResult.SCHEDULER_ERROR, "no clusters available to schedule");
      }
      Map<String, Integer> assignment;
      boolean workload = replicas > 0 || spec.replicaRequirements() != null;
      if (workload) {
        String uid = spec.resource() == null ? null : spec.resource().uid();
        assignment =
            ReplicaAssigner.assign(
                placement, selected, replicas, targets, uid, rescheduleAsked(spec, status));
      } else {
        assignment = new TreeMap<>();
        for (Candidate c : selected) {
          assignment.put(c.name(), null);
        }
      }
      List<TargetCluster> result = new ArrayList<>();
      new TreeMap<>(assignment).forEach((name, r) -> result.add(new TargetCluster(name, r, null)));
      return new ScheduleResult(
          true,
          ScheduleResult.SUCCESS,
          ScheduleResult.SUCCESS_MESSAGE,
          List.copyOf(result),
          List.copyOf(evictions),
          recheck);
    } catch (Unfit unfit) {
      List<TargetCluster> kept = new ArrayList<>();
      targets.forEach((name, r) -> kept.add(new TargetCluster(name, r == 0 ? null : r, null)));
      String reason =
          ScheduleResult.UNSCHEDULABLE.equals(unfit.reason())
              ? ScheduleResult.UNSCHEDULABLE
              : ScheduleResult.SCHEDULER_ERROR.equals(unfit.reason())
                  ? ScheduleResult.SCHEDULER_ERROR
                  : ScheduleResult.NO_CLUSTER_FIT;
      return new ScheduleResult(
          false, reason, unfit.getMessage(), List.copyOf(kept), List.copyOf(evictions), recheck);
    }
  }

  /** The feasible clusters as candidates, sorted best first; throws when none fits. */
  static List<Candidate> filter(
      ResourceBindingSpec spec,
      Collection<Cluster> clusters,
      Set<String> targets,
      Set<String> evicting) {
    Placement placement = spec.placement();
    List<Toleration> tolerations = placement == null ? null : placement.clusterTolerations();
    Map<String, Integer> reasons = new TreeMap<>();
    List<Candidate> feasible = new ArrayList<>();
    int replicas = number(spec.replicas());
    for (Cluster cluster : clusters) {
      String name = Clusters.name(cluster);
      if (Clusters.deleting(cluster)) {
        continue;
      }
      String reason = null;
      if (placement != null
          && !ClusterAffinityMatcher.matches(cluster, placement.clusterAffinity())) {
        reason = "cluster(s) did not match the placement cluster affinity constraint";
      } else if (!targets.contains(name)) {
        Optional<Taint> taint =
            Tolerations.firstUntolerated(
                Clusters.taints(cluster), tolerations, Tolerations::isNoScheduleOrNoExecute);
        if (taint.isPresent()) {
          reason = "cluster(s) had untolerated taint {" + Tolerations.describe(taint.get()) + "}";
        }
      }
      if (reason == null && evicting.contains(name)) {
        reason = "cluster(s) is in the process of eviction";
      }
      if (reason != null) {
        reasons.merge(reason, 1, Integer::sum);
        continue;
      }
      int allocatable =
          replicas == 0
              ? Integer.MAX_VALUE
              : ReplicaEstimator.maxAvailableReplicas(cluster, spec.replicaRequirements());
      int assigned = 0;
      for (TargetCluster t : list(spec.clusters())) {
        if (name.equals(t.name())) {
          assigned = number(t.replicas());
        }
      }
      feasible.add(
          new Candidate(
              cluster,
              name,
              targets.contains(name) ? 100 : 0,
              (long) allocatable + (targets.contains(name) ? assigned : 0),
              allocatable));
    }
    if (feasible.isEmpty()) {
      List<String> histogram = new ArrayList<>();
      reasons.forEach((reason, count) -> histogram.add(count + " " + reason));
      histogram.sort(null);
      throw new Unfit(
          ScheduleResult.NO_CLUSTER_FIT,
          "0/"
              + clusters.size()
              + " clusters are available: "
              + (histogram.isEmpty() ? "no cluster exists" : String.join(", ", histogram))
              + ".");
    }
    feasible.sort(SpreadSelector.ORDER);
    return feasible;
  }

  /**
   * Whether (empty: never; zero: now; otherwise after the duration) an untolerated or expiring
   * {@code NoExecute} taint evicts the binding from {@code cluster}.
   */
  static Optional<Duration> evictionDue(
      Cluster cluster, List<Toleration> tolerations, Instant now) {
    Duration soonest = null;
    for (Taint taint : Clusters.taints(cluster)) {
      if (!Tolerations.isNoExecute(taint)) {
        continue;
      }
      Optional<Toleration> toleration = Tolerations.tolerating(tolerations, taint);
      if (toleration.isEmpty()) {
        return Optional.of(Duration.ZERO);
      }
      Long seconds = toleration.get().getTolerationSeconds();
      if (seconds == null) {
        continue;
      }
      Instant added = parse(taint.getTimeAdded()).orElse(now);
      Duration left = Duration.between(now, added.plusSeconds(Math.max(0, seconds)));
      if (left.isNegative() || left.isZero()) {
        return Optional.of(Duration.ZERO);
      }
      soonest = soonest == null || left.compareTo(soonest) < 0 ? left : soonest;
    }
    return Optional.ofNullable(soonest);
  }

  private static String untoleratedNoExecute(Cluster cluster, List<Toleration> tolerations) {
    return Clusters.taints(cluster).stream()
        .filter(Tolerations::isNoExecute)
        .filter(t -> Tolerations.tolerating(tolerations, t).isEmpty())
        .findFirst()
        .or(() -> Clusters.taints(cluster).stream().filter(Tolerations::isNoExecute).findFirst())
        .map(Tolerations::describe)
        .orElse("");
  }

  // Karmada's RescheduleRequired: asked after the last successful scheduling.
  static boolean rescheduleAsked(ResourceBindingSpec spec, ResourceBindingStatus status) {
    if (spec.rescheduleTriggeredAt() == null || status == null) {
      return false;
    }
    Optional<Instant> asked = parse(spec.rescheduleTriggeredAt());
    Optional<Instant> last = parse(status.lastScheduledTime());
    return asked.isPresent() && last.isPresent() && asked.get().isAfter(last.get());
  }

  private static Optional<Instant> parse(String time) {
    if (time == null || time.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(time).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static <T> List<T> list(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static int number(Number n) {
    return n == null ? 0 : n.intValue();
  }
}
