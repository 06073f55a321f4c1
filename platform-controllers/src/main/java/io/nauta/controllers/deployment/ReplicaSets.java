package io.nauta.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** Counting, filtering and ordering a deployment's replica sets, as Kubernetes' helpers do. */
final class ReplicaSets {

  private ReplicaSets() {}

  /** {@code spec.replicas} (the API's default, 1, when absent). */
  static int replicas(ReplicaSet rs) {
    Integer r = rs.getSpec().getReplicas();
    return r == null ? 1 : r;
  }

  static int statusReplicas(ReplicaSet rs) {
    ReplicaSetStatus s = rs.getStatus();
    return s == null ? 0 : Deployments.orZero(s.getReplicas());
  }

  static int readyReplicas(ReplicaSet rs) {
    ReplicaSetStatus s = rs.getStatus();
    return s == null ? 0 : Deployments.orZero(s.getReadyReplicas());
  }

  static int availableReplicas(ReplicaSet rs) {
    ReplicaSetStatus s = rs.getStatus();
    return s == null ? 0 : Deployments.orZero(s.getAvailableReplicas());
  }

  static long observedGeneration(ReplicaSet rs) {
    ReplicaSetStatus s = rs.getStatus();
    return s == null || s.getObservedGeneration() == null ? 0 : s.getObservedGeneration();
  }

  static long generation(ReplicaSet rs) {
    Long g = rs.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  /** Sum of {@code spec.replicas}: the pods these replica sets are asked to run. */
  static int specTotal(Collection<ReplicaSet> rss) {
    return nonNull(rss).stream().mapToInt(ReplicaSets::replicas).sum();
  }

  /** Sum of {@code status.replicas}: the pods they run. */
  static int actualTotal(Collection<ReplicaSet> rss) {
    return nonNull(rss).stream().mapToInt(ReplicaSets::statusReplicas).sum();
  }

  static int readyTotal(Collection<ReplicaSet> rss) {
    return nonNull(rss).stream().mapToInt(ReplicaSets::readyReplicas).sum();
  }

  static int availableTotal(Collection<ReplicaSet> rss) {
    return nonNull(rss).stream().mapToInt(ReplicaSets::availableReplicas).sum();
  }

  /** Those asked to run at least one pod. */
  static List<ReplicaSet> active(Collection<ReplicaSet> rss) {
    return nonNull(rss).stream().filter(rs -> replicas(rs) > 0).toList();
  }

  private static List<ReplicaSet> nonNull(Collection<ReplicaSet> rss) {
    return rss.stream().filter(Objects::nonNull).toList();
  }

  static Instant created(ReplicaSet rs) {
    String t = rs.getMetadata().getCreationTimestamp();
    if (t == null) {
      return Instant.MAX;
    }
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      return Instant.MAX;
    }
  }

  /** Oldest first; equal times by name. */
  static final Comparator<ReplicaSet> BY_CREATION =
      Comparator.comparing(ReplicaSets::created).thenComparing(rs -> rs.getMetadata().getName());

  /** Largest first; equal sizes oldest first (who scales down first). */
  static final Comparator<ReplicaSet> BY_SIZE_OLDER =
      Comparator.comparingInt(ReplicaSets::replicas).reversed().thenComparing(BY_CREATION);

  /** Largest first; equal sizes newest first (who scales up first). */
  static final Comparator<ReplicaSet> BY_SIZE_NEWER =
      Comparator.comparingInt(ReplicaSets::replicas)
          .reversed()
          .thenComparing(BY_CREATION.reversed());

  /** Lowest revision first; equal revisions oldest first. */
  static final Comparator<ReplicaSet> BY_REVISION =
      Comparator.comparingLong(Revisions::of).thenComparing(BY_CREATION);

  static List<ReplicaSet> sorted(Collection<ReplicaSet> rss, Comparator<ReplicaSet> order) {
    List<ReplicaSet> out = new ArrayList<>(nonNull(rss));
    out.sort(order);
    return out;
  }

  /**
   * The replica set whose template is the deployment's (ignoring the hash label); the oldest if
   * several are, so a duplicate never takes over.
   */
  static ReplicaSet findNew(Deployment d, Collection<ReplicaSet> rsList) {
    for (ReplicaSet rs : sorted(rsList, BY_CREATION)) {
      if (PodTemplates.equalIgnoreHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate())) {
        return rs;
      }
    }
    return null;
  }

  /** Every replica set but the new one. */
  static List<ReplicaSet> findOld(Collection<ReplicaSet> rsList, ReplicaSet newRS) {
    String newUid = newRS == null ? null : newRS.getMetadata().getUid();
    return rsList.stream()
        .filter(rs -> newUid == null || !newUid.equals(rs.getMetadata().getUid()))
        .toList();
  }

  /**
   * Kubernetes' FindActiveOrLatest: the only replica set with pods, or when none has pods the new
   * one (else the newest old one); null when several have pods.
   */
  static ReplicaSet activeOrLatest(ReplicaSet newRS, List<ReplicaSet> oldRSs) {
    if (newRS == null && oldRSs.isEmpty()) {
      return null;
    }
    List<ReplicaSet> newestFirst = sorted(oldRSs, BY_CREATION.reversed());
    List<ReplicaSet> all = new ArrayList<>(newestFirst);
    all.add(newRS);
    List<ReplicaSet> active = active(all);
    return switch (active.size()) {
      case 0 -> newRS != null ? newRS : newestFirst.get(0);
      case 1 -> active.get(0);
      default -> null;
    };
  }

  /**
   * Kubernetes' IsSaturated: the new replica set runs every desired replica, available, and was
   * sized for the current replica count.
   */
  static boolean isSaturated(Deployment d, ReplicaSet rs) {
    if (rs == null) {
      return false;
    }
    String desired = Revisions.annotation(rs, Revisions.DESIRED_REPLICAS);
    int replicas = Deployments.replicas(d);
    return String.valueOf(replicas).equals(desired)
        && replicas(rs) == replicas
        && availableReplicas(rs) == replicas;
  }

  static List<ReplicaSet> with(List<ReplicaSet> list, ReplicaSet extra) {
    List<ReplicaSet> out = new ArrayList<>(list);
    if (extra != null) {
      out.add(extra);
    }
    return out;
  }
}
