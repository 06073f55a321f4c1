package io.nauta.api.console;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The built-in web console at {@code /console/}: hand-written HTML, CSS and JavaScript from the jar
 * ({@code nauta/console/}), no build step and nothing fetched from elsewhere. The assets are public
 * ({@code PublicPaths}, the bootstrap role {@code nauta:console-viewer}) because they hold no
 * cluster data: the page asks for a bearer token and reads everything through the API with it,
 * under the same authentication and RBAC as kubectl. {@code /console/} comes here as {@code
 * /console} ({@code TrailingSlash}); the page names its assets by absolute path.
 *
 * <p>Every response carries a Content-Security-Policy that allows only this server's own scripts,
 * styles and connections (no inline script, no framing), so a cluster object's text can never run
 * as code in the page and the token can only go back to this server.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleRoutes {

  /** Where the console is served. */
  public static final String PATH = "/console";

  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final String ASSETS = "nauta/console/";

  @Bean
  RouterFunction<ServerResponse> consoleRouter() {
    Resource index = new ClassPathResource(ASSETS + "index.html");
    return RouterFunctions.route()
        .GET(PATH, request -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(index))
        .add(RouterFunctions.resources(PATH + "/**", new ClassPathResource(ASSETS)))
        .filter(
            (request, next) -> {
              // On the exchange: the built responses' own headers are read-only.
              HttpHeaders headers = request.exchange().getResponse().getHeaders();
              headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
              headers.set("X-Content-Type-Options", "nosniff");
              headers.set("Referrer-Policy", "no-referrer");
              headers.setCacheControl(CacheControl.noCache());
              return next.handle(request);
            })
        .build();
  }
}
