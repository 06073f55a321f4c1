package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a policy's scheduling priority comes from.
 *
 * @param priorityClassSource {@code KubePriorityClass} and others
 * @param priorityClassName the priority class
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SchedulePriority(String priorityClassSource, String priorityClassName) {}
