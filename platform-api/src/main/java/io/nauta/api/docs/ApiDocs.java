package io.nauta.api.docs;

import io.nauta.api.openapi.OpenApiV3;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Springdoc's {@code /v3/api-docs} and Swagger UI ({@code /swagger-ui.html}) for people: the
 * document is the union of the OpenAPI v3 documents kubectl reads, generated from the registry, so
 * every served path and verb can be browsed and tried. Every operation requires the {@code
 * BearerToken} scheme, as in Kubernetes' documents: Authorize with {@code Bearer <token>} (from
 * {@code kubectl create token}) and "Try it out" sends it. The page, its assets and this document
 * are public ({@code PublicPaths}): a browser loads them before it can be given a token.
 */
@Configuration(proxyBeanMethods = false)
public class ApiDocs {

  @Bean
  OpenApiCustomizer nautaApiDocument(OpenApiV3 openApi) {
    return api -> {
      api.info(
          new Info()
              .title("Nauta API")
              .version("v1")
              .description(
                  "The Kubernetes-compatible API served by Nauta: core v1, apps/v1 and"
                      + " coordination.k8s.io/v1. kubectl reads the same documents at /openapi/v3."));
      if (api.getComponents() == null) {
        api.setComponents(new Components());
      }
      for (String path : openApi.paths()) {
        OpenAPI doc = read(openApi.documentJson(path).orElseThrow());
        if (doc.getPaths() != null) {
          doc.getPaths().forEach(api::path);
        }
        if (doc.getComponents() != null && doc.getComponents().getSchemas() != null) {
          doc.getComponents().getSchemas().forEach(api.getComponents()::addSchemas);
        }
        // BearerToken: Swagger UI's Authorize button takes "Bearer <token>" for it.
        if (doc.getComponents() != null && doc.getComponents().getSecuritySchemes() != null) {
          doc.getComponents().getSecuritySchemes().forEach(api.getComponents()::addSecuritySchemes);
        }
      }
    };
  }

  private static OpenAPI read(byte[] json) {
    try {
      return Json.mapper().readValue(json, OpenAPI.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
