package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;

/**
 * A member's resources: {@code allocatable} (the sum over its ready nodes), {@code allocated}
 * (requested by its scheduled pods).
 *
 * @param allocatable the sum of the ready nodes' allocatable resources
 * @param allocating requested by pods not yet scheduled
 * @param allocated requested by scheduled, non-terminal pods
 * @param allocatableModelings node counts per resource model grade
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResourceSummary(
    Map<String, Quantity> allocatable,
    Map<String, Quantity> allocating,
    Map<String, Quantity> allocated,
    List<AllocatableModeling> allocatableModelings) {}
