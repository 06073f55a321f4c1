package io.nauta.api.http;

import io.nauta.api.openapi.OpenApiV2;
import io.nauta.api.openapi.OpenApiV2Cache;
import io.nauta.api.openapi.OpenApiV3;
import io.nauta.core.errors.NotAcceptableException;
import io.nauta.core.errors.NotFoundException;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /openapi/v3} and its per-group-version documents, as kubectl reads them for server-side
 * field validation, {@code kubectl explain} and the patches of {@code kubectl apply}; and {@code
 * /openapi/v2}, the one Swagger 2.0 document kubectl falls back to (see {@link OpenApiV2}).
 */
@Component
public class OpenApiHandler {

  private final OpenApiV3 openApi;
  private final OpenApiV2Cache openApiV2;
  private final JsonMapper mapper;

  public OpenApiHandler(OpenApiV3 openApi, OpenApiV2Cache openApiV2, JsonMapper mapper) {
    this.openApi = openApi;
    this.openApiV2 = openApiV2;
    this.mapper = mapper;
  }

  /**
   * {@code /openapi/v2} as JSON or gnostic protobuf, by {@code Accept} (406 for anything else), as
   * kube-apiserver serves it: both forms carry the ETag of the JSON and {@code Vary: Accept}, and a
   * request whose {@code If-None-Match} names it gets 304. kubectl keeps the document in its HTTP
   * cache and revalidates it on every run, so the 304 is what most requests cost.
   */
  Mono<ServerResponse> v2(ServerRequest request) {
    OpenApiV2.Format format =
        OpenApiV2.Format.negotiate(String.join(",", request.headers().header(HttpHeaders.ACCEPT)))
            .orElse(null);
    if (format == null) {
      return Mono.error(
          new NotAcceptableException(
              "only application/json and application/"
                  + "com.github.proto-openapi.spec.v2.v1.0+protobuf are served at /openapi/v2"));
    }
    return openApiV2
        .current()
        .flatMap(
            doc -> {
              if (matches(request.headers().header(HttpHeaders.IF_NONE_MATCH), doc.etag())) {
                return ServerResponse.status(HttpStatus.NOT_MODIFIED)
                    .header(HttpHeaders.ETAG, doc.etag())
                    .header(HttpHeaders.VARY, HttpHeaders.ACCEPT)
                    .build();
              }
              return ServerResponse.ok()
                  .header(HttpHeaders.CONTENT_TYPE, format.contentType())
                  .header(HttpHeaders.ETAG, doc.etag())
                  .header(HttpHeaders.VARY, HttpHeaders.ACCEPT)
                  .bodyValue(doc.body(format));
            });
  }

  /** Whether an {@code If-None-Match} list names {@code etag} (weakly compared) or is {@code *}. */
  static boolean matches(List<String> ifNoneMatch, String etag) {
    for (String header : ifNoneMatch) {
      for (String tag : header.split(",")) {
        String t = tag.trim();
        if (t.startsWith("W/")) {
          t = t.substring(2);
        }
        if (t.equals("*") || t.equals(etag)) {
          return true;
        }
      }
    }
    return false;
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
