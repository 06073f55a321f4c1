package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What a {@link PropagationPolicy} or {@link ClusterPropagationPolicy} propagates, and where.
 *
 * @param resourceSelectors the templates this policy applies to
 * @param association deprecated in Karmada for {@code propagateDeps}
 * @param propagateDeps also propagate the ConfigMaps, Secrets, ServiceAccounts and PVCs the
 *     workload references
 * @param placement where to put the templates
 * @param priority which policy wins when several match one template (higher first)
 * @param preemption {@code Always} or {@code Never}: whether this policy takes templates from
 *     lower-priority ones
 * @param dependentOverrides OverridePolicies that must exist before propagation
 * @param schedulerName the scheduler ({@code default-scheduler})
 * @param failover failover behaviour
 * @param conflictResolution {@code Abort} (the default) or {@code Overwrite}: what to do with an
 *     object that already exists in a member and was not made by the gateway
 * @param activationPreference {@code Lazy}: changes to the policy apply only when the template
 *     changes
 * @param suspension suspends dispatching
 * @param preserveResourcesOnDeletion keep the objects in the members when the template is deleted
 * @param schedulePriority scheduling priority
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PropagationSpec(
    List<ResourceSelector> resourceSelectors,
    Boolean association,
    Boolean propagateDeps,
    Placement placement,
    Integer priority,
    String preemption,
    List<String> dependentOverrides,
    String schedulerName,
    FailoverBehavior failover,
    String conflictResolution,
    String activationPreference,
    Suspension suspension,
    Boolean preserveResourcesOnDeletion,
    SchedulePriority schedulePriority) {}
