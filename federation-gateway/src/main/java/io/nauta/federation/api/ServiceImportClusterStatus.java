package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A cluster exporting a service. Named {@code ClusterStatus} in the MCS API's Go package; renamed
 * here beside the Cluster's.
 *
 * @param cluster its name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServiceImportClusterStatus(String cluster) {}
