package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Changes one container's command or args.
 *
 * @param containerName the container
 * @param operator {@code add} or {@code remove}
 * @param value the values
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CommandArgsOverrider(String containerName, String operator, List<String> value) {}
