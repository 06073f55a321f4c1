package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/**
 * Where replicas that do not fit a {@link ClusterAffinityTerm} go (Go inlines ClusterAffinity).
 *
 * @param affinityName the name
 * @param labelSelector cluster labels
 * @param fieldSelector cluster fields
 * @param clusterNames cluster names
 * @param exclude clusters never selected
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record OverflowClusterAffinity(
    String affinityName,
    LabelSelector labelSelector,
    FieldSelector fieldSelector,
    List<String> clusterNames,
    List<String> exclude) {}
