package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Patches inside a field holding JSON or YAML text.
 *
 * @param fieldPath a JSON pointer to the field
 * @param json operations on its JSON
 * @param yaml operations on its YAML
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record FieldOverrider(
    String fieldPath, List<JSONPatchOperation> json, List<YAMLPatchOperation> yaml) {}
