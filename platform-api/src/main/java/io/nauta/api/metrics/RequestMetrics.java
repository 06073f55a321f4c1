package io.nauta.api.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nauta.api.http.QueryOptions;
import io.nauta.api.http.RequestInfo;
import io.nauta.core.errors.ApiException;
import io.nauta.core.registry.ResourceRegistry;
import io.nauta.core.registry.ResourceType;
import java.util.Set;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Request latency by verb, resource and code, as Kubernetes' {@code apiserver_request_duration
 * _seconds} has it ({@code nauta_apiserver_request_seconds} on {@code /actuator/prometheus}).
 * Watches are counted as WATCH, and their duration is how long they stayed open.
 */
@Component
public class RequestMetrics implements WebFilter {

  /** The verbs a tag may name; a made-up HTTP method is counted as "other". */
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  private final MeterRegistry meters;
  private final ResourceRegistry registry;

  public RequestMetrics(MeterRegistry meters, ResourceRegistry registry) {
    this.meters = meters;
    this.registry = registry;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String path = exchange.getRequest().getPath().value();
    if (!path.startsWith("/api")) {
      return chain.filter(exchange);
    }
    Timer.Sample sample = Timer.start(meters);
    return chain
        .filter(exchange)
        .doFinally(
            signal -> {
              RequestInfo info = safeParse(path);
              // Tags name registered resources only: a tag taken from the path as sent would make
              // a new timer for every made-up URL, without bound.
              ResourceType type =
                  info == null
                      ? null
                      : registry.find(info.group(), info.version(), info.resource()).orElse(null);
              int code =
                  exchange.getResponse().getStatusCode() == null
                      ? 200
                      : exchange.getResponse().getStatusCode().value();
              sample.stop(
                  Timer.builder("nauta.apiserver.request")
                      .description("API requests by verb, resource and response code")
                      .tag("verb", verb(exchange, info))
                      .tag("resource", resourceTag(info, type))
                      .tag("subresource", subresourceTag(info, type))
                      .tag("code", Integer.toString(code))
                      .publishPercentileHistogram()
                      .register(meters));
            });
  }

  /** Empty for discovery and other non-resource paths, "unknown" for unregistered resources. */
  private static String resourceTag(RequestInfo info, ResourceType type) {
    if (info == null) {
      return "";
    }
    return type == null ? "unknown" : type.plural();
  }

  private static String subresourceTag(RequestInfo info, ResourceType type) {
    if (info == null || info.subresource() == null) {
      return "";
    }
    return type != null && type.hasSubresource(info.subresource()) ? info.subresource() : "unknown";
  }

  private static RequestInfo safeParse(String path) {
    try {
      return RequestInfo.parse(path);
    } catch (ApiException e) {
      return null;
    }
  }

  /** Kubernetes' verbs: LIST and WATCH for collection GETs, GET for one object, and so on. */
  private static String verb(ServerWebExchange exchange, RequestInfo info) {
    HttpMethod m = exchange.getRequest().getMethod();
    boolean watch =
        QueryOptions.bool(exchange.getRequest().getQueryParams(), "watch")
            || (info != null && info.legacyWatch());
    if (m == HttpMethod.GET) {
      if (watch) {
        return "WATCH";
      }
      return info == null || info.name() == null ? "LIST" : "GET";
    }
    if (m == HttpMethod.DELETE && info != null && info.name() == null) {
      return "DELETECOLLECTION";
    }
    return METHODS.contains(m.name()) ? m.name() : "other";
  }
}
