package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/**
 * Selects clusters by name, labels or fields, minus excluded ones; every set part must hold.
 *
 * @param labelSelector cluster labels
 * @param fieldSelector cluster fields ({@code provider}, {@code region}, {@code zone})
 * @param clusterNames cluster names
 * @param exclude clusters never selected (Go: {@code ExcludeClusters})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterAffinity(
    LabelSelector labelSelector,
    FieldSelector fieldSelector,
    List<String> clusterNames,
    List<String> exclude) {}
