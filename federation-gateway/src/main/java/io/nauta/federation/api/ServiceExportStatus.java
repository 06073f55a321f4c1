package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The status of a {@link ServiceExport}.
 *
 * @param conditions {@code Valid}, {@code Conflict}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServiceExportStatus(List<ServiceExportCondition> conditions) {}
