package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * The observed state of a member {@link Cluster}.
 *
 * @param kubernetesVersion the member's version ({@code /version}'s {@code gitVersion})
 * @param apiEnablements the API resources the member serves
 * @param conditions {@code Ready} and others
 * @param nodeSummary how many nodes, how many ready
 * @param resourceSummary allocatable and allocated resources
 * @param remedyActions remedy actions to take
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterStatus(
    String kubernetesVersion,
    List<APIEnablement> apiEnablements,
    List<Condition> conditions,
    NodeSummary nodeSummary,
    ResourceSummary resourceSummary,
    List<String> remedyActions) {}
