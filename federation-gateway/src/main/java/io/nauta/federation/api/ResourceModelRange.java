package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * The range of one resource in a {@link ResourceModel} grade.
 *
 * @param name the resource name
 * @param min lower bound (inclusive)
 * @param max upper bound (exclusive)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResourceModelRange(String name, Quantity min, Quantity max) {}
