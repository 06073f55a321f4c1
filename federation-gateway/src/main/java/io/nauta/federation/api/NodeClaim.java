package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/**
 * Node constraints of a replica.
 *
 * @param hardNodeAffinity required node affinity
 * @param nodeSelector node selector
 * @param tolerations tolerations
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeClaim(
    NodeSelector hardNodeAffinity,
    Map<String, String> nodeSelector,
    List<Toleration> tolerations) {}
