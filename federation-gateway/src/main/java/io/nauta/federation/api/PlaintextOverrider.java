package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.JsonNode;

/**
 * One JSON patch operation on the template.
 *
 * @param path a JSON pointer
 * @param operator {@code add}, {@code remove} or {@code replace}
 * @param value the value
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PlaintextOverrider(String path, String operator, JsonNode value) {}
