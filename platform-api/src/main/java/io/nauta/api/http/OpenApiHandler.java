package io.nauta.api.http;

import io.nauta.api.openapi.OpenApiV3;
import io.nauta.core.errors.NotFoundException;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /openapi/v3} and its per-group-version documents, as kubectl reads them for server-side
 * field validation, {@code kubectl explain} and the patches of {@code kubectl apply}. There is no
 * {@code /openapi/v2}: kubectl asks for it only in protobuf, and a 404 makes it use v3.
 */
@Component
public class OpenApiHandler {

  private final OpenApiV3 openApi;
  private final JsonMapper mapper;

  public OpenApiHandler(OpenApiV3 openApi, JsonMapper mapper) {
    this.openApi = openApi;
    this.mapper = mapper;
  }

  Mono<ServerResponse> index(ServerRequest request) {
    return ServerResponse.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(mapper.writeValueAsString(openApi.index()));
  }

  Mono<ServerResponse> document(ServerRequest request) {
    String path = request.path().substring(OpenApiV3.PREFIX.length());
    boolean hashMatches =
        request.queryParam("hash").flatMap(h -> openApi.hash(path).map(h::equals)).orElse(false);
    return openApi
        .documentJson(path)
        .map(
            json ->
                ServerResponse.status(HttpStatus.OK)
                    .contentType(MediaType.APPLICATION_JSON)
                    // The index names each document by hash, so a document never changes under
                    // its URL: clients may cache it for good, as Kubernetes lets them.
                    .cacheControl(
                        hashMatches
                            ? CacheControl.maxAge(java.time.Duration.ofDays(365))
                                .cachePublic()
                                .immutable()
                            : CacheControl.noCache())
                    .bodyValue(json))
        .orElseGet(
            () ->
                Mono.error(
                    new NotFoundException("the server could not find the requested resource")));
  }
}
