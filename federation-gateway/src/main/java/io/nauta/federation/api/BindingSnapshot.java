package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A binding that depends on another, and where it was scheduled.
 *
 * @param namespace its namespace
 * @param name its name
 * @param clusters its clusters
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BindingSnapshot(String namespace, String name, List<TargetCluster> clusters) {}
