package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One group version a member serves and its resources.
 *
 * @param groupVersion e.g. {@code apps/v1}
 * @param resources its resources
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record APIEnablement(String groupVersion, List<APIResource> resources) {}
