package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A Secret in the gateway, by namespace and name.
 *
 * @param namespace its namespace
 * @param name its name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LocalSecretReference(String namespace, String name) {}
