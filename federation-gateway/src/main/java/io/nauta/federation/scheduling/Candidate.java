package io.nauta.federation.scheduling;

import io.nauta.federation.api.Cluster;

/**
 * A cluster that passed the filters, as Karmada's {@code ClusterDetailInfo}: its score (100 when it
 * already holds the binding, Karmada's ClusterLocality), the replicas it can still take ({@code
 * allocatableReplicas}, from the estimator) and those plus what the binding already has there
 * ({@code availableReplicas}).
 */
record Candidate(
    Cluster cluster, String name, long score, long availableReplicas, int allocatableReplicas) {}
