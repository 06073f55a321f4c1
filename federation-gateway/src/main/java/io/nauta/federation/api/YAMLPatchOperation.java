package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.JsonNode;

/**
 * A patch operation inside a YAML text field.
 *
 * @param subPath a JSON pointer inside it
 * @param operator {@code add}, {@code remove} or {@code replace}
 * @param value the value
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record YAMLPatchOperation(String subPath, String operator, JsonNode value) {}
