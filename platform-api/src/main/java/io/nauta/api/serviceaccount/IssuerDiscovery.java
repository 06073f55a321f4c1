package io.nauta.api.serviceaccount;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Service-account issuer discovery, as Kubernetes serves it: an OpenID Connect discovery document
 * at {@code /.well-known/openid-configuration} and the public keys at {@code /openid/v1/jwks}, so a
 * relying party outside the cluster can verify the tokens.
 */
@Component
public class IssuerDiscovery {

  public static final String CONFIGURATION_PATH = "/.well-known/openid-configuration";
  public static final String JWKS_PATH = "/openid/v1/jwks";

  /** Kubernetes lets both documents be cached for an hour (keys rotate slower than that). */
  private static final String CACHE_CONTROL = "public, max-age=3600";

  private static final MediaType JWK_SET = MediaType.valueOf("application/jwk-set+json");

  private final ServiceAccountTokenProperties props;
  private final ServiceAccountKeys keys;
  private final JsonMapper mapper;

  public IssuerDiscovery(
      ServiceAccountTokenProperties props, ServiceAccountKeys keys, JsonMapper mapper) {
    this.props = props;
    this.keys = keys;
    this.mapper = mapper;
  }

  public Mono<ServerResponse> configuration(ServerRequest request) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("issuer", props.issuer());
    doc.put("jwks_uri", jwksUri(request));
    doc.put("response_types_supported", List.of("id_token"));
    doc.put("subject_types_supported", List.of("public"));
    doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
    return ServerResponse.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .header("Cache-Control", CACHE_CONTROL)
        .bodyValue(mapper.writeValueAsString(doc));
  }

  public Mono<ServerResponse> jwks(ServerRequest request) {
    return Mono.fromCallable(() -> keys.publicJwks().toString(true))
        .flatMap(
            body ->
                ServerResponse.ok()
                    .contentType(JWK_SET)
                    .header("Cache-Control", CACHE_CONTROL)
                    .bodyValue(body));
  }

  /** The configured URI, else this server's own address as the client reached it. */
  private String jwksUri(ServerRequest request) {
    if (!props.jwksUri().isBlank()) {
      return props.jwksUri();
    }
    return request.uri().getScheme() + "://" + request.uri().getRawAuthority() + JWKS_PATH;
  }
}
