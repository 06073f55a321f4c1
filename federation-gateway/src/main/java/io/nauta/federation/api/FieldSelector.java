package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import java.util.List;

/**
 * Selects clusters by their {@code provider}, {@code region} and {@code zone} fields.
 *
 * @param matchExpressions requirements on those fields, all of which must hold
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record FieldSelector(List<NodeSelectorRequirement> matchExpressions) {}
