package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * Selects templates by API version and kind, and optionally namespace, name or labels.
 *
 * @param apiVersion the templates' API version
 * @param kind their kind
 * @param namespace their namespace
 * @param name their name
 * @param labelSelector their labels (ignored when {@code name} is set)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResourceSelector(
    String apiVersion, String kind, String namespace, String name, LabelSelector labelSelector) {}
