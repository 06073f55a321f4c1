package io.nauta.federation.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A port of a {@link ServiceImport} (the MCS API's, not the core Service's).
 *
 * @param name its name
 * @param protocol {@code TCP}, {@code UDP} or {@code SCTP}
 * @param appProtocol the application protocol
 * @param port the port
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServicePort(String name, String protocol, String appProtocol, Integer port) {}
