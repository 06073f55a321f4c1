package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How many nodes fall in one resource model grade.
 *
 * @param grade the grade
 * @param count the number of nodes
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AllocatableModeling(Integer grade, Integer count) {}
