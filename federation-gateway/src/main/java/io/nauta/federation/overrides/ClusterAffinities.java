package io.nauta.federation.overrides;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.nauta.core.errors.ApiException;
import io.nauta.core.selector.LabelSelector;
import io.nauta.federation.api.Cluster;
import io.nauta.federation.api.ClusterAffinity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a Cluster satisfies a {@link ClusterAffinity}, as Karmada's {@code util.ClusterMatches}
 * decides for an override rule's {@code targetCluster}: not excluded, its labels match the label
 * selector, its provider, region and zones match the field selector, and it is among the names when
 * names are given. An invalid selector matches no cluster.
 */
public final class ClusterAffinities {

  private ClusterAffinities() {}

  public static boolean matches(Cluster cluster, ClusterAffinity affinity) {
    String name = cluster.metadata().getName();
    if (affinity.exclude() != null && affinity.exclude().contains(name)) {
      return false;
    }
    if (affinity.labelSelector() != null) {
      Map<String, String> labels = cluster.metadata().getLabels();
      try {
        if (!LabelSelector.fromModel(affinity.labelSelector())
            .matches(labels == null ? Map.of() : labels)) {
          return false;
        }
      } catch (ApiException invalid) {
        return false;
      }
    }
    if (affinity.fieldSelector() != null && affinity.fieldSelector().matchExpressions() != null) {
      Map<String, String> fields = new HashMap<>();
      if (cluster.spec() != null) {
        putIfSet(fields, "provider", cluster.spec().provider());
        putIfSet(fields, "region", cluster.spec().region());
      }
      for (NodeSelectorRequirement r : affinity.fieldSelector().matchExpressions()) {
        boolean ok =
            "zone".equals(r.getKey())
                ? zonesMatch(r, zones(cluster))
                : requirementMatches(r, fields.get(r.getKey()));
        if (!ok) {
          return false;
        }
      }
    }
    return affinity.clusterNames() == null
        || affinity.clusterNames().isEmpty()
        || affinity.clusterNames().contains(name);
  }

  private static List<String> zones(Cluster cluster) {
    if (cluster.spec() == null) {
      return List.of();
    }
    if (cluster.spec().zones() != null && !cluster.spec().zones().isEmpty()) {
      return cluster.spec().zones();
    }
    String zone = cluster.spec().zone();
    return zone == null || zone.isEmpty() ? List.of() : List.of(zone);
  }

  private static boolean zonesMatch(NodeSelectorRequirement r, List<String> zones) {
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    return switch (String.valueOf(r.getOperator())) {
      case "In" -> zones.stream().anyMatch(values::contains);
      case "NotIn" -> zones.stream().noneMatch(values::contains);
      case "Exists" -> !zones.isEmpty();
      case "DoesNotExist" -> zones.isEmpty();
      default -> false;
    };
  }

  // A requirement on provider or region, with the label-selector semantics Karmada converts it to.
  private static boolean requirementMatches(NodeSelectorRequirement r, String value) {
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    return switch (String.valueOf(r.getOperator())) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      case "Gt", "Lt" -> compare(r.getOperator(), value, values);
      default -> false;
    };
  }

  private static boolean compare(String operator, String value, List<String> values) {
    if (value == null || values.size() != 1) {
      return false;
    }
    try {
      long have = Long.parseLong(value);
      long want = Long.parseLong(values.get(0));
      return operator.equals("Gt") ? have > want : have < want;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static void putIfSet(Map<String, String> fields, String key, String value) {
    if (value != null && !value.isEmpty()) {
      fields.put(key, value);
    }
  }
}
