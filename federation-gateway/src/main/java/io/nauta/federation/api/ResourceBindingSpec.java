package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A binding of one template: what it is, its replicas and requirements, and where it goes.
 *
 * @param resource the template
 * @param propagateDeps also propagate what the template references
 * @param replicaRequirements what one replica needs
 * @param replicas the template's replicas
 * @param components components of a multi-component workload
 * @param clusters the scheduling decision: clusters and their replicas
 * @param placement the placement copied from the policy
 * @param gracefulEvictionTasks clusters being evicted from, gracefully
 * @param requiredBy bindings that depend on this one (propagated dependencies)
 * @param schedulerName the scheduler
 * @param failover failover behaviour from the policy
 * @param conflictResolution {@code Abort} or {@code Overwrite}, from the policy
 * @param rescheduleTriggeredAt when a reschedule was asked for
 * @param suspension suspension from the policy, plus scheduling
 * @param preserveResourcesOnDeletion keep the members' objects when the template is deleted
 * @param schedulePriority the resolved scheduling priority
 * @param workloadAffinityGroups workload affinity groups
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResourceBindingSpec(
    ObjectReference resource,
    Boolean propagateDeps,
    ReplicaRequirements replicaRequirements,
    Integer replicas,
    List<Component> components,
    List<TargetCluster> clusters,
    Placement placement,
    List<GracefulEvictionTask> gracefulEvictionTasks,
    List<BindingSnapshot> requiredBy,
    String schedulerName,
    FailoverBehavior failover,
    String conflictResolution,
    String rescheduleTriggeredAt,
    BindingSuspension suspension,
    Boolean preserveResourcesOnDeletion,
    BindingSchedulePriority schedulePriority,
    WorkloadAffinityGroups workloadAffinityGroups) {}
