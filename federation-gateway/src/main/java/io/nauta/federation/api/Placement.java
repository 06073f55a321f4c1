package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;

/**
 * Where a policy's templates go.
 *
 * @param clusterAffinity which clusters are candidates
 * @param clusterAffinities ordered candidate groups (not implemented by Nauta: refused)
 * @param clusterTolerations the cluster taints tolerated
 * @param spreadConstraints how to spread over clusters, regions or zones
 * @param replicaScheduling how replicas are set or divided
 * @param workloadAffinity affinity between workloads (not implemented by Nauta: refused)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Placement(
    ClusterAffinity clusterAffinity,
    List<ClusterAffinityTerm> clusterAffinities,
    List<Toleration> clusterTolerations,
    List<SpreadConstraint> spreadConstraints,
    ReplicaSchedulingStrategy replicaScheduling,
    WorkloadAffinity workloadAffinity) {}
