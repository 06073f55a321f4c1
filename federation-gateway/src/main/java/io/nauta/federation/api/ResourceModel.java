package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One grade of a cluster's resource models.
 *
 * @param grade the grade
 * @param ranges the resource ranges of the grade
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResourceModel(Integer grade, List<ResourceModelRange> ranges) {}
