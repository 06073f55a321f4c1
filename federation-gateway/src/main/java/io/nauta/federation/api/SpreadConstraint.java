package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How many groups (clusters, regions, zones, providers) a template is spread over.
 *
 * @param spreadByField {@code cluster}, {@code region}, {@code zone} or {@code provider}
 * @param spreadByLabel a cluster label to group by (not implemented by Nauta: refused)
 * @param maxGroups at most this many groups
 * @param minGroups at least this many groups
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SpreadConstraint(
    String spreadByField, String spreadByLabel, Integer maxGroups, Integer minGroups) {}
