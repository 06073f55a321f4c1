package io.nauta.api.http;

import static org.springframework.web.reactive.function.server.RequestPredicates.path;

import io.nauta.api.customresource.CustomResources;
import io.nauta.api.openapi.OpenApiV2;
import io.nauta.api.openapi.OpenApiV2Cache;
import io.nauta.api.openapi.OpenApiV3;
import io.nauta.api.security.review.AccessReviews;
import io.nauta.api.serviceaccount.IssuerDiscovery;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import tools.jackson.databind.json.JsonMapper;

/** The API server's routes: health, discovery, then every resource path. */
@Configuration(proxyBeanMethods = false)
public class ApiRoutes {

  @Bean
  ResourceRegistry resourceRegistry() {
    return BuiltInResources.registry();
  }

  /** Generated again whenever a custom resource comes or goes. */
  @Bean
  OpenApiV3 openApiV3(
      ResourceRegistry registry, JsonMapper mapper, CustomResources customResources) {
    OpenApiV3 openApi = new OpenApiV3(registry, mapper, customResources::openApiSchema);
    registry.addListener(change -> openApi.rebuild());
    return openApi;
  }

  /**
   * Keyed on the v3 documents it is converted from (their index holds each one's content hash): a
   * custom resource coming or going rebuilds them, and so this one on its next request.
   */
  @Bean
  OpenApiV2Cache openApiV2(OpenApiV3 v3, JsonMapper mapper) {
    return new OpenApiV2Cache(v3::index, () -> OpenApiV2.from(v3, mapper));
  }

  @Bean
  RouterFunction<ServerResponse> apiRouter(
      ApiHandler api,
      DiscoveryHandler discovery,
      HealthHandler health,
      OpenApiHandler openApi,
      AccessReviews reviews,
      IssuerDiscovery issuer) {
    return RouterFunctions.route()
        .GET("/", discovery::rootPaths)
        .GET("/healthz", health::healthz)
        .GET("/livez", health::healthz)
        .GET("/readyz", health::readyz)
        .GET("/version", discovery::version)
        .GET(IssuerDiscovery.CONFIGURATION_PATH, issuer::configuration)
        .GET(IssuerDiscovery.JWKS_PATH, issuer::jwks)
        .GET("/openapi/v2", openApi::v2)
        .GET("/openapi/v3", openApi::index)
        .GET("/openapi/v3/**", openApi::document)
        .GET("/api", discovery::coreVersions)
        .GET("/apis", discovery::groups)
        .GET("/api/{version}", discovery::resources)
        .GET("/apis/{group}", discovery::group)
        .GET("/apis/{group}/{version}", discovery::resources)
        // Access reviews are answered, never stored: their POSTs have a handler of their own.
        .POST("/apis/authorization.k8s.io/v1/{plural}", reviews::create)
        .POST("/apis/authorization.k8s.io/v1/namespaces/{namespace}/{plural}", reviews::create)
        .route(path("/api/**").or(path("/apis/**")), api::handle)
        .build();
  }
}
