package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The template a binding is for.
 *
 * @param apiVersion its API version
 * @param kind its kind
 * @param namespace its namespace
 * @param name its name
 * @param uid its UID
 * @param resourceVersion the resourceVersion the binding was made from
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ObjectReference(
    String apiVersion,
    String kind,
    String namespace,
    String name,
    String uid,
    String resourceVersion) {}
