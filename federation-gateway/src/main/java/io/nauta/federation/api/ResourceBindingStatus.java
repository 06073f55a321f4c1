package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * What the scheduler decided and what the members report.
 *
 * @param schedulerObservedGeneration the generation the scheduler last scheduled
 * @param schedulerObservingAffinityName the affinity term in use
 * @param lastScheduledTime when it was last scheduled
 * @param conditions {@code Scheduled}, {@code FullyApplied}
 * @param aggregatedStatus per member: applied, health, the object's status
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResourceBindingStatus(
    Long schedulerObservedGeneration,
    String schedulerObservingAffinityName,
    String lastScheduledTime,
    List<Condition> conditions,
    List<AggregatedStatusItem> aggregatedStatus) {}
