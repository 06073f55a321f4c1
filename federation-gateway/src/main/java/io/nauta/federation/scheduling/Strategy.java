package io.nauta.federation.scheduling;

import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.Placement;
import io.nauta.federation.api.ReplicaSchedulingStrategy;

/**
 * How replicas are assigned, from {@code placement.replicaScheduling} with Karmada's defaults: no
 * strategy means Duplicated, an empty type Divided, an empty division preference Weighted, and
 * Weighted without {@code dynamicWeight} is static (all clusters weigh 1 without a list).
 */
enum Strategy {
  DUPLICATED,
  STATIC_WEIGHT,
  DYNAMIC_WEIGHT,
  AGGREGATED;

  static final String DUPLICATED_TYPE = Karmada.REPLICA_SCHEDULING_DUPLICATED;
  static final String AGGREGATED_PREFERENCE = Karmada.REPLICA_DIVISION_AGGREGATED;

  static Strategy of(Placement placement) {
    ReplicaSchedulingStrategy strategy = placement == null ? null : placement.replicaScheduling();
    if (strategy == null || DUPLICATED_TYPE.equals(strategy.replicaSchedulingType())) {
      return DUPLICATED;
    }
    if (AGGREGATED_PREFERENCE.equals(strategy.replicaDivisionPreference())) {
      return AGGREGATED;
    }
    return hasDynamicWeight(strategy) ? DYNAMIC_WEIGHT : STATIC_WEIGHT;
  }

  private static boolean hasDynamicWeight(ReplicaSchedulingStrategy strategy) {
    return strategy.weightPreference() != null
        && strategy.weightPreference().dynamicWeight() != null
        && !strategy.weightPreference().dynamicWeight().isEmpty();
  }

  /** Karmada ignores spread constraints for static weights (they decide the clusters). */
  static boolean ignoresSpreadConstraints(Placement placement) {
    ReplicaSchedulingStrategy strategy = placement == null ? null : placement.replicaScheduling();
    if (strategy == null || of(placement) != STATIC_WEIGHT) {
      return false;
    }
    return strategy.weightPreference() == null
        || (strategy.weightPreference().staticWeightList() != null
            && !strategy.weightPreference().staticWeightList().isEmpty());
  }
}
