package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One cluster of a scheduling decision and its replicas.
 *
 * @param name the cluster
 * @param replicas its replicas (absent for templates without replicas)
 * @param components per-component replicas
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TargetCluster(String name, Integer replicas, List<TargetComponent> components) {}
