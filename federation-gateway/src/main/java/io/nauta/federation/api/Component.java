package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One component of a multi-component workload.
 *
 * @param name its name
 * @param replicas its replicas
 * @param replicaRequirements what one replica needs
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Component(
    String name, Integer replicas, ComponentReplicaRequirements replicaRequirements) {}
