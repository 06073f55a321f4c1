package io.nauta.federation.proxy;

import static org.springframework.web.reactive.function.server.RequestPredicates.path;

import io.nauta.federation.cluster.MemberClusters;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The member proxy's route, ahead of the API server's catch-all resource route (which would answer
 * 404 for a {@code proxy} subresource of a Cluster). Authentication, impersonation, priority and
 * fairness (a proxy request is long-running, as in Kubernetes), authorization of {@code
 * clusters/proxy} and the audit log are the API server's filters, which run before any route.
 */
@Configuration(proxyBeanMethods = false)
public class ProxyConfiguration {

  /** Members are reached as {@link MemberClusters} says, from the gateway's informers. */
  @Bean
  MemberProxyHandler memberProxyHandler(MemberClusters members) {
    return new MemberProxyHandler(members);
  }

  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE)
  RouterFunction<ServerResponse> memberProxyRoute(MemberProxyHandler handler) {
    String base = MemberProxyHandler.PREFIX + "{cluster}/proxy";
    return RouterFunctions.route(path(base).or(path(base + "/**")), handler::handle);
  }
}
