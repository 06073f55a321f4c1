package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * Adds, replaces or removes labels or annotations.
 *
 * @param operator {@code add}, {@code remove} or {@code replace}
 * @param value the keys and values
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LabelAnnotationOverrider(String operator, Map<String, String> value) {}
