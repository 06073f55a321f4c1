package io.nauta.federation.scheduling;

import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.Placement;
import io.nauta.federation.api.SpreadConstraint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Karmada's cluster selection under {@code placement.spreadConstraints} ({@code
 * core/spreadconstraint}). Without constraints (or with static weights, which Karmada lets decide
 * alone) every feasible cluster is selected. A {@code cluster} constraint alone keeps the best
 * {@code [minGroups, maxGroups]} clusters by score then available replicas, swapping in clusters
 * with more room when the best ones cannot hold the replicas (Divided only). A {@code region}
 * constraint picks regions by Karmada's group search (enough clusters for the cluster constraint's
 * minGroups, best group score, a shorter path preferred), takes the best cluster of each, then
 * fills up to the cluster constraint's maxGroups by score. Nauta applies the same group rules to a
 * {@code zone} or a {@code provider} constraint (Karmada groups by them but selects by region
 * only); combining two of region, zone and provider is refused. An unset {@code maxGroups} means no
 * upper bound; an unset {@code minGroups} is 1 (Karmada's default).
 */
final class SpreadSelector {

  static final String CLUSTER = Karmada.FIELD_CLUSTER;
  static final String REGION = Karmada.FIELD_REGION;
  static final String ZONE = Karmada.FIELD_ZONE;
  static final String PROVIDER = Karmada.FIELD_PROVIDER;

  static final String NO_CLUSTER_FIT = Karmada.BINDING_REASON_NO_CLUSTER_FIT;

  /** Karmada's weightUnit: group scores weigh replicas in thousands, cluster scores in units. */
  private static final long WEIGHT_UNIT = 1000;

  /** Score desc, available replicas desc, name asc: Karmada's {@code sortClusters}. */
  static final Comparator<Candidate> ORDER =
      Comparator.comparingLong(Candidate::score)
          .reversed()
          .thenComparing(Comparator.comparingLong(Candidate::availableReplicas).reversed())
          .thenComparing(Candidate::name);

  private SpreadSelector() {}

  /** Selects among {@code candidates} (sorted by {@link #ORDER}). */
  static List<Candidate> select(Placement placement, List<Candidate> candidates, int replicas) {
    List<SpreadConstraint> constraints =
        placement == null || placement.spreadConstraints() == null
            ? List.of()
            : placement.spreadConstraints();
    if (constraints.isEmpty() || Strategy.ignoresSpreadConstraints(placement)) {
      return candidates;
    }
    Map<String, SpreadConstraint> byField = new LinkedHashMap<>();
    for (SpreadConstraint c : constraints) {
      String field =
          c.spreadByField() == null || c.spreadByField().isEmpty() ? CLUSTER : c.spreadByField();
      if (!Set.of(CLUSTER, REGION, ZONE, PROVIDER).contains(field)) {
        throw new Unfit(NO_CLUSTER_FIT, "spreadByField " + field + " is not supported");
      }
      byField.put(field, c);
    }
    List<String> groupFields = byField.keySet().stream().filter(f -> !CLUSTER.equals(f)).toList();
    if (groupFields.size() > 1) {
      throw new Unfit(
          NO_CLUSTER_FIT,
          "spread constraints by "
              + String.join(" and ", groupFields)
              + " together are not supported");
    }
    SpreadConstraint clusterConstraint = byField.get(CLUSTER);
    Strategy strategy = Strategy.of(placement);
    if (groupFields.isEmpty()) {
      int needReplicas = strategy == Strategy.DUPLICATED ? -1 : replicas;
      return byCluster(clusterConstraint, candidates, needReplicas);
    }
    String field = groupFields.get(0);
    return byGroup(field, byField.get(field), clusterConstraint, candidates, strategy, replicas);
  }

  private static List<Candidate> byCluster(
      SpreadConstraint constraint, List<Candidate> candidates, int needReplicas) {
    int total = candidates.size();
    if (total < minGroups(constraint)) {
      throw new Unfit(
          NO_CLUSTER_FIT,
          "the number of feasible clusters ("
              + total
              + ") is less than spreadConstraint.MinGroups ("
              + minGroups(constraint)
              + ")");
    }
    int needCount = Math.min(total, maxGroups(constraint, total));
    if (needReplicas < 0) {
      return List.copyOf(candidates.subList(0, needCount));
    }
    List<Candidate> selected = byAvailableResource(candidates, needCount, needReplicas);
    if (selected.isEmpty()) {
      throw new Unfit(
          NO_CLUSTER_FIT,
          "not enough available replicas for " + needReplicas + " in " + needCount + " clusters");
    }
    return selected;
  }

  // Karmada's selectClustersByAvailableResource: from the lowest-scored selected cluster upwards,
  // swap in the remaining cluster with the most room while the selection cannot hold the replicas.
  static List<Candidate> byAvailableResource(
      List<Candidate> candidates, int needCount, int needReplicas) {
    List<Candidate> selected = new ArrayList<>(candidates.subList(0, needCount));
    List<Candidate> rest = new ArrayList<>(candidates.subList(needCount, candidates.size()));
    for (int update = selected.size() - 1;
        !holds(selected, needReplicas) && update >= 0;
        update--) {
      long most = selected.get(update).availableReplicas();
      int found = -1;
      for (int i = 0; i < rest.size(); i++) {
        if (rest.get(i).availableReplicas() > most) {
          most = rest.get(i).availableReplicas();
          found = i;
        }
      }
      if (found >= 0) {
        Candidate out = selected.get(update);
        selected.set(update, rest.get(found));
        rest.set(found, out);
      }
    }
    return holds(selected, needReplicas) ? selected : List.of();
  }

  private static boolean holds(List<Candidate> clusters, int needReplicas) {
    long total = 0;
    for (Candidate c : clusters) {
      total += c.availableReplicas();
    }
    return total >= needReplicas;
  }

  private static List<Candidate> byGroup(
      String field,
      SpreadConstraint groupConstraint,
      SpreadConstraint clusterConstraint,
      List<Candidate> candidates,
      Strategy strategy,
      int replicas) {
    Function<Candidate, List<String>> groupsOf =
        switch (field) {
          case REGION -> c -> nonEmpty(Clusters.region(c.cluster()));
          case PROVIDER -> c -> nonEmpty(Clusters.provider(c.cluster()));
          default -> c -> Clusters.zones(c.cluster());
        };
    Map<String, List<Candidate>> groups = new LinkedHashMap<>();
    for (Candidate c : candidates) {
      for (String group : groupsOf.apply(c)) {
        groups.computeIfAbsent(group, g -> new ArrayList<>()).add(c);
      }
    }
    if (groups.size() < minGroups(groupConstraint)) {
      throw new Unfit(
          NO_CLUSTER_FIT,
          "the number of feasible "
              + field
              + "s ("
              + groups.size()
              + ") is less than spreadConstraint.MinGroups ("
              + minGroups(groupConstraint)
              + ")");
    }
    int clusterMin = clusterConstraint == null ? 0 : minGroups(clusterConstraint);
    List<GroupSearch.Group> infos = new ArrayList<>();
    groups.forEach(
        (name, members) ->
            infos.add(
                new GroupSearch.Group(
                    name,
                    members.size(),
                    groupScore(
                        members, strategy, replicas, minGroups(groupConstraint), clusterMin))));
    List<GroupSearch.Group> chosen =
        GroupSearch.select(
            infos,
            minGroups(groupConstraint),
            maxGroups(groupConstraint, groups.size()),
            clusterMin);
    if (chosen.isEmpty()) {
      throw new Unfit(
          NO_CLUSTER_FIT,
          "no combination of "
              + field
              + "s holds spreadConstraint.MinGroups ("
              + clusterMin
              + ") clusters");
    }
    Set<Candidate> selected = new LinkedHashSet<>();
    List<Candidate> rest = new ArrayList<>();
    for (GroupSearch.Group group : chosen) {
      List<Candidate> members = groups.get(group.name());
      Candidate best = members.stream().filter(c -> !selected.contains(c)).findFirst().orElse(null);
      if (best != null) {
        selected.add(best);
      }
      members.stream().filter(c -> c != best).forEach(rest::add);
    }
    List<Candidate> remaining =
        rest.stream().distinct().filter(c -> !selected.contains(c)).sorted(ORDER).toList();
    int total = remaining.size() + selected.size();
    int needCount =
        Math.min(total, clusterConstraint == null ? total : maxGroups(clusterConstraint, total));
    int restCount = needCount - selected.size();
    for (int i = 0; i < restCount && i < remaining.size(); i++) {
      selected.add(remaining.get(i));
    }
    return List.copyOf(selected);
  }

  // Karmada's calcGroupScore: Duplicated counts the clusters that can hold all replicas, Divided
  // how many of the group's share its best clusters hold; either in thousands plus mean score.
  static long groupScore(
      List<Candidate> clusters, Strategy strategy, int replicas, int minGroups, int clusterMin) {
    if (strategy == Strategy.DUPLICATED) {
      long valid = 0;
      long sumScore = 0;
      for (Candidate c : clusters) {
        if (c.availableReplicas() >= replicas) {
          valid++;
          sumScore += c.score();
        }
      }
      return valid == 0 ? 0 : valid * WEIGHT_UNIT + sumScore / valid;
    }
    long target = (long) Math.ceil((double) replicas / Math.max(1, minGroups));
    int needClusters = Math.max(clusterMin, minGroups);
    long sumAvailable = 0;
    long sumScore = 0;
    long valid = 0;
    for (Candidate c : clusters) {
      sumAvailable += c.availableReplicas();
      sumScore += c.score();
      valid++;
      if (valid >= needClusters && sumAvailable >= target) {
        break;
      }
    }
    if (sumAvailable < target) {
      return sumAvailable * WEIGHT_UNIT + sumScore / clusters.size();
    }
    return target * WEIGHT_UNIT + sumScore / valid;
  }

  static int minGroups(SpreadConstraint c) {
    return c == null || c.minGroups() == null || c.minGroups() <= 0 ? 1 : c.minGroups();
  }

  static int maxGroups(SpreadConstraint c, int unbounded) {
    return c == null || c.maxGroups() == null || c.maxGroups() <= 0 ? unbounded : c.maxGroups();
  }

  private static List<String> nonEmpty(String value) {
    return value.isEmpty() ? List.of() : List.of(value);
  }
}
