package io.nauta.federation.scheduling;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.selector.LabelSelector;
import io.nauta.core.selector.NodeSelectorMatcher;
import io.nauta.federation.api.Cluster;
import io.nauta.federation.api.ClusterAffinity;
import io.nauta.federation.api.Karmada;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Karmada's {@code util.ClusterMatches}: a cluster matches an affinity when it is not excluded, its
 * labels match {@code labelSelector}, its {@code provider}/{@code region}/{@code zone} match {@code
 * fieldSelector} and its name is in {@code clusterNames}; an absent part matches every cluster.
 * Field requirements take the NodeSelectorRequirement operators ({@code In}, {@code NotIn}, {@code
 * Exists}, {@code DoesNotExist}, {@code Gt}, {@code Lt}) on provider and region; {@code zone} is
 * matched against the cluster's zones ({@code spec.zones}, else {@code spec.zone}) with {@code In}
 * (any zone listed), {@code NotIn} (no zone listed), {@code Exists} and {@code DoesNotExist}, as
 * Karmada does.
 */
public final class ClusterAffinityMatcher {

  static final String PROVIDER_FIELD = Karmada.FIELD_PROVIDER;
  static final String REGION_FIELD = Karmada.FIELD_REGION;
  static final String ZONE_FIELD = Karmada.FIELD_ZONE;

  private ClusterAffinityMatcher() {}

  public static boolean matches(Cluster cluster, ClusterAffinity affinity) {
    String name = Clusters.name(cluster);
    if (affinity == null) {
      return true;
    }
    if (affinity.exclude() != null && affinity.exclude().contains(name)) {
      return false;
    }
    if (affinity.labelSelector() != null) {
      LabelSelector selector;
      try {
        selector = LabelSelector.fromModel(affinity.labelSelector());
      } catch (BadRequestException invalid) {
        return false;
      }
      if (!selector.matches(Clusters.labels(cluster))) {
        return false;
      }
    }
    if (affinity.fieldSelector() != null && affinity.fieldSelector().matchExpressions() != null) {
      List<NodeSelectorRequirement> fieldRequirements = new ArrayList<>();
      for (NodeSelectorRequirement requirement : affinity.fieldSelector().matchExpressions()) {
        if (ZONE_FIELD.equals(requirement.getKey())) {
          if (!matchesZones(requirement, Clusters.zones(cluster))) {
            return false;
          }
        } else {
          fieldRequirements.add(requirement);
        }
      }
      if (!fieldRequirements.isEmpty() && !matchesFields(cluster, fieldRequirements)) {
        return false;
      }
    }
    return affinity.clusterNames() == null
        || affinity.clusterNames().isEmpty()
        || affinity.clusterNames().contains(name);
  }

  // The provider and region fields read as the labels of a node, so the node selector operators
  // (and their validation: an invalid requirement matches nothing) are Kubernetes' own.
  private static boolean matchesFields(
      Cluster cluster, List<NodeSelectorRequirement> requirements) {
    Map<String, String> fields = new HashMap<>();
    String provider = Clusters.provider(cluster);
    String region = Clusters.region(cluster);
    if (!provider.isEmpty()) {
      fields.put(PROVIDER_FIELD, provider);
    }
    if (!region.isEmpty()) {
      fields.put(REGION_FIELD, region);
    }
    NodeSelectorMatcher.Term term =
        NodeSelectorMatcher.compile(new NodeSelectorTerm(requirements, null));
    return term != null
        && term.matches(
            new NodeBuilder().withNewMetadata().withLabels(fields).endMetadata().build());
  }

  private static boolean matchesZones(NodeSelectorRequirement requirement, List<String> zones) {
    List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
    String operator = requirement.getOperator() == null ? "" : requirement.getOperator();
    return switch (operator) {
      case "In" -> zones.stream().anyMatch(values::contains);
      case "NotIn" -> zones.stream().noneMatch(values::contains);
      case "Exists" -> !zones.isEmpty();
      case "DoesNotExist" -> zones.isEmpty();
      default -> false;
    };
  }
}
