package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Changes one component of container images.
 *
 * @param predicate which image (all containers' when null)
 * @param component {@code Registry}, {@code Repository} or {@code Tag}
 * @param operator {@code add}, {@code remove} or {@code replace}
 * @param value the value
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageOverrider(
    ImagePredicate predicate, String component, String operator, String value) {}
