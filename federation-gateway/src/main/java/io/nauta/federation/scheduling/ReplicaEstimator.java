package io.nauta.federation.scheduling;

import io.fabric8.kubernetes.api.model.Quantity;
import io.nauta.federation.api.Cluster;
import io.nauta.federation.api.ReplicaRequirements;
import io.nauta.federation.api.ResourceSummary;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/**
 * Karmada's general estimator ({@code estimator/client/general.go}): how many more replicas of a
 * template fit in a cluster, from its {@code status.resourceSummary}. The pod count bounds it
 * ({@code allocatable - allocated - allocating} pods); each requested resource bounds it by {@code
 * (allocatable - allocated - allocating) / request} (CPU in millicores, the others in whole units
 * rounded up, as Kubernetes' {@code Quantity.Value}). A template without requests is bound by the
 * pod count only; a resource the cluster does not report, or a cluster without a summary, gives 0.
 */
public final class ReplicaEstimator {

  private static final String PODS = "pods";
  private static final String CPU = "cpu";

  private ReplicaEstimator() {}

  public static int maxAvailableReplicas(Cluster cluster, ReplicaRequirements requirements) {
    ResourceSummary summary = Clusters.resourceSummary(cluster);
    if (summary == null) {
      return 0;
    }
    long maximum =
        value(summary.allocatable(), PODS)
            - value(summary.allocated(), PODS)
            - value(summary.allocating(), PODS);
    if (maximum <= 0) {
      return 0;
    }
    if (requirements != null && requirements.resourceRequest() != null) {
      for (Map.Entry<String, Quantity> request : requirements.resourceRequest().entrySet()) {
        String resource = request.getKey();
        boolean cpu = CPU.equals(resource);
        long requested = cpu ? milli(request.getValue()) : whole(request.getValue());
        if (requested <= 0) {
          continue;
        }
        if (summary.allocatable() == null || !summary.allocatable().containsKey(resource)) {
          return 0;
        }
        BigDecimal available =
            amount(summary.allocatable(), resource)
                .subtract(amount(summary.allocated(), resource))
                .subtract(amount(summary.allocating(), resource));
        if (ceil(available) <= 0) {
          return 0;
        }
        long availableUnits = cpu ? ceil(available.movePointRight(3)) : ceil(available);
        maximum = Math.min(maximum, availableUnits / requested);
      }
    }
    return (int) Math.min(maximum, Integer.MAX_VALUE);
  }

  private static long value(Map<String, Quantity> list, String resource) {
    return ceil(amount(list, resource));
  }

  private static BigDecimal amount(Map<String, Quantity> list, String resource) {
    Quantity q = list == null ? null : list.get(resource);
    return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
  }

  private static long whole(Quantity q) {
    return q == null ? 0 : ceil(Quantity.getAmountInBytes(q));
  }

  private static long milli(Quantity q) {
    return q == null ? 0 : ceil(Quantity.getAmountInBytes(q).movePointRight(3));
  }

  private static long ceil(BigDecimal d) {
    return d.setScale(0, RoundingMode.CEILING).longValue();
  }
}
