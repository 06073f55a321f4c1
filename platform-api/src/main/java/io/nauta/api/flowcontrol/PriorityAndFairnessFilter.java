package io.nauta.api.flowcontrol;

import io.nauta.api.security.AuthorizationAttributes;
import io.nauta.api.security.AuthorizationFilter;
import io.nauta.api.security.ImpersonationFilter;
import io.nauta.api.security.RequestAttributes;
import io.nauta.api.security.UserInfo;
import io.nauta.core.errors.TooManyRequestsException;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * API priority and fairness, placed as Kubernetes places {@code WithPriorityAndFairness}: after
 * authentication and impersonation (it classifies the user the request acts as) and before
 * authorization. Each request is classified by the FlowSchemas ({@link FlowControlConfigSource});
 * an exempt level runs it at once, a limited one only on a seat of its {@link QueueSet}, else it is
 * answered 429 with {@code Retry-After}. The UIDs of the schema and level go out in the {@code
 * X-Kubernetes-PF-*} headers of every classified response.
 *
 * <p>Long-running requests other than watches ({@code exec}, {@code attach}, {@code log}, {@code
 * portforward}, {@code proxy}) pass unclassified, as Kubernetes' long-running check lets them; a
 * watch holds its seat only until its response starts (its initial events are being sent), then
 * gives it back. A seat is given back however the request ends: completion, error, or the client
 * going away.
 */
public class PriorityAndFairnessFilter implements WebFilter, Ordered {

  /** After impersonation, before authorization. */
  public static final int ORDER = ImpersonationFilter.ORDER + 5;

  static final String FLOW_SCHEMA_UID = "X-Kubernetes-PF-FlowSchema-UID";
  static final String PRIORITY_LEVEL_UID = "X-Kubernetes-PF-PriorityLevel-UID";

  /** Kubernetes' {@code BasicLongRunningRequestCheck} of kube-apiserver. */
  private static final Set<String> LONG_RUNNING_VERBS = Set.of("watch", "proxy");

  private static final Set<String> LONG_RUNNING_SUBRESOURCES =
      Set.of("attach", "exec", "proxy", "log", "portforward");

  /** Kubernetes starts its dynamic Retry-After at one second. */
  static final int RETRY_AFTER_SECONDS = 1;

  private final FlowControlConfigSource config;
  private final FlowControlMetrics metrics;

  static {
    if (ORDER >= AuthorizationFilter.ORDER) {
      throw new IllegalStateException("flow control must run before authorization");
    }
  }

  public PriorityAndFairnessFilter(FlowControlConfigSource config, FlowControlMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    UserInfo user = UserInfo.of(exchange);
    if (user == null) {
      return chain.filter(exchange); // security off: nobody to classify
    }
    AuthorizationAttributes request =
        RequestAttributes.of(
            user,
            exchange.getRequest().getMethod().name(),
            exchange.getRequest().getPath().pathWithinApplication().value(),
            exchange.getRequest().getQueryParams());
    boolean watch = request.resourceRequest() && request.verb().equals("watch");
    if (!watch && longRunning(request)) {
      return chain.filter(exchange);
    }
    Classification c = config.classify(request);
    HttpHeaders headers = exchange.getResponse().getHeaders();
    setHeader(headers, FLOW_SCHEMA_UID, c.flowSchema().uid());
    setHeader(headers, PRIORITY_LEVEL_UID, c.priorityLevel().uid());
    if (c.priorityLevel().exempt()) {
      metrics.dispatched(c.priorityLevel().name(), c.flowSchema().name());
      return chain.filter(exchange);
    }
    QueueSet queues = c.priorityLevel().queues();
    long hash = Classifier.flowHash(c.flowSchema().name(), c.flow());
    return queues
        .acquire(hash, c.flowSchema().name())
        .onErrorMap(
            QueueSet.RejectedException.class,
            e ->
                new TooManyRequestsException(TooManyRequestsException.MESSAGE, RETRY_AFTER_SECONDS))
        .flatMap(
            seat -> {
              if (watch) {
                exchange
                    .getResponse()
                    .beforeCommit(
                        () -> {
                          seat.release();
                          return Mono.empty();
                        });
              }
              return chain.filter(exchange).doFinally(signal -> seat.release());
            });
  }

  private static boolean longRunning(AuthorizationAttributes request) {
    return LONG_RUNNING_VERBS.contains(request.verb())
        || (request.resourceRequest() && LONG_RUNNING_SUBRESOURCES.contains(request.subresource()));
  }

  private static void setHeader(HttpHeaders headers, String name, String uid) {
    if (uid != null && !uid.isEmpty()) {
      headers.set(name, uid);
    }
  }
}
