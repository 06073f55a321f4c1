package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/**
 * A named {@link ClusterAffinity} of an ordered list (Go inlines ClusterAffinity).
 *
 * @param affinityName the term's name
 * @param labelSelector cluster labels
 * @param fieldSelector cluster fields
 * @param clusterNames cluster names
 * @param exclude clusters never selected
 * @param overflowAffinities where replicas that do not fit go
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterAffinityTerm(
    String affinityName,
    LabelSelector labelSelector,
    FieldSelector fieldSelector,
    List<String> clusterNames,
    List<String> exclude,
    List<OverflowClusterAffinity> overflowAffinities) {}
