package io.nauta.federation.scheduling;

import io.fabric8.kubernetes.api.model.Taint;
import io.nauta.federation.api.Cluster;
import io.nauta.federation.api.ClusterSpec;
import io.nauta.federation.api.ResourceSummary;
import java.util.List;
import java.util.Map;

/** Null-safe reads of a Cluster's fields the scheduler uses. */
final class Clusters {

  private Clusters() {}

  static String name(Cluster cluster) {
    return cluster.metadata() == null || cluster.metadata().getName() == null
        ? ""
        : cluster.metadata().getName();
  }

  static Map<String, String> labels(Cluster cluster) {
    Map<String, String> labels = cluster.metadata() == null ? null : cluster.metadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  static boolean deleting(Cluster cluster) {
    return cluster.metadata() != null && cluster.metadata().getDeletionTimestamp() != null;
  }

  static String provider(Cluster cluster) {
    ClusterSpec spec = cluster.spec();
    return spec == null || spec.provider() == null ? "" : spec.provider();
  }

  static String region(Cluster cluster) {
    ClusterSpec spec = cluster.spec();
    return spec == null || spec.region() == null ? "" : spec.region();
  }

  /** {@code spec.zones}, or the deprecated single {@code spec.zone} when zones is empty. */
  static List<String> zones(Cluster cluster) {
    ClusterSpec spec = cluster.spec();
    if (spec == null) {
      return List.of();
    }
    if (spec.zones() != null && !spec.zones().isEmpty()) {
      return spec.zones();
    }
    return spec.zone() == null || spec.zone().isEmpty() ? List.of() : List.of(spec.zone());
  }

  static List<Taint> taints(Cluster cluster) {
    ClusterSpec spec = cluster.spec();
    return spec == null || spec.taints() == null ? List.of() : spec.taints();
  }

  static ResourceSummary resourceSummary(Cluster cluster) {
    return cluster.status() == null ? null : cluster.status().resourceSummary();
  }
}
