package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A binding's resolved scheduling priority. Named {@code SchedulePriority} in Go's work package;
 * renamed here beside the policy's.
 *
 * @param priority the priority
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BindingSchedulePriority(Integer priority) {}
