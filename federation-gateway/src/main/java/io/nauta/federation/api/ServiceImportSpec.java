package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.SessionAffinityConfig;
import java.util.List;

/**
 * An imported service: its ports and virtual IPs.
 *
 * @param ports its ports
 * @param ips its cluster-set IPs
 * @param type {@code ClusterSetIP} or {@code Headless}
 * @param sessionAffinity {@code ClientIP} or {@code None}
 * @param sessionAffinityConfig session affinity settings
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServiceImportSpec(
    List<ServicePort> ports,
    List<String> ips,
    String type,
    String sessionAffinity,
    SessionAffinityConfig sessionAffinityConfig) {}
