package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A condition of a {@link ServiceExport} (the MCS API's own condition type).
 *
 * @param type {@code Valid} or {@code Conflict}
 * @param status {@code True}, {@code False} or {@code Unknown}
 * @param lastTransitionTime when it last changed
 * @param reason why
 * @param message details
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServiceExportCondition(
    String type, String status, String lastTransitionTime, String reason, String message) {}
