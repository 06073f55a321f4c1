package io.nauta.api.audit;

import io.fabric8.kubernetes.api.model.Status;
import io.nauta.api.protobuf.KubernetesProtobuf;
import io.nauta.api.security.AuthorizationAttributes;
import io.nauta.api.security.AuthorizationFilter;
import io.nauta.api.security.Authorizer;
import io.nauta.api.security.ImpersonationFilter;
import io.nauta.api.security.RequestAttributes;
import io.nauta.api.security.UserInfo;
import io.nauta.core.errors.ApiException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Audits every request as Kubernetes' audit filter: right after authentication (so the event names
 * the authenticated user, and an impersonated one beside it), the {@link AuditPolicy} gives the
 * request's level; each stage the policy keeps becomes an {@link AuditEvent} handed to the {@link
 * AuditLogWriter}, which never makes the request wait. The {@code Audit-Id} response header carries
 * the event's id: the caller's own {@code Audit-ID} header if it sent one (so a request retried
 * through a proxy keeps its id), else a new UUID.
 *
 * <p>Bodies are copied as they cross the wire (for {@code Request} and above, and for creates,
 * whose object names what was created) and decoded only on the writer's thread. A watch or other
 * long-running request gets a {@code ResponseStarted} event when its headers go out and never has
 * its stream logged. An error that is not an {@link ApiException} (a bug) ends in {@code Panic}
 * rather than {@code ResponseComplete}.
 */
public class AuditFilter implements WebFilter, Ordered {

  /** After authentication, before impersonation and authorization. */
  public static final int ORDER = ImpersonationFilter.ORDER - 5;

  static final String AUDIT_ID_HEADER = "Audit-Id";

  /** Kubernetes' long-running requests: these verbs, and these subresources (any verb). */
  private static final Set<String> LONG_RUNNING_VERBS = Set.of("watch", "proxy");

  private static final Set<String> LONG_RUNNING_SUBRESOURCES =
      Set.of("attach", "exec", "proxy", "log", "portforward");

  /** What an address in a forwarding header may look like (IPv4 or IPv6 literal characters). */
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

  static final String DECISION_ANNOTATION = "authorization.k8s.io/decision";
  static final String REASON_ANNOTATION = "authorization.k8s.io/reason";

  private final AuditPolicy policy;
  private final Consumer<AuditEvent> sink;
  private final Clock clock;

  public AuditFilter(AuditPolicy policy, Consumer<AuditEvent> sink, Clock clock) {
    this.policy = policy;
    this.sink = sink;
    this.clock = clock;
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    String auditId = auditId(exchange);
    AuthorizationAttributes attributes = attributes(exchange);
    AuditPolicy.Decision decision = policy.evaluate(attributes);
    if (decision.level() == AuditLevel.None) {
      return chain.filter(exchange);
    }
    RequestAudit audit = new RequestAudit(exchange, auditId, attributes, decision);
    audit.emit(AuditStage.RequestReceived);

    ServerWebExchange audited = exchange;
    boolean longRunning = isLongRunning(attributes);
    if (decision.level().atLeast(AuditLevel.Request)
        || (attributes.verb().equals("create") && attributes.resourceRequest())) {
      Boolean protobuf = bodyFormat(request.getHeaders().getContentType());
      if (protobuf != null) {
        audit.requestCapture = new BodyCapture(protobuf);
        audited =
            audited.mutate().request(audit.requestCapture.decorate(audited.getRequest())).build();
      }
    }
    if (decision.level().atLeast(AuditLevel.RequestResponse) && !longRunning) {
      audit.responseCapture = new BodyCapture(false);
      audited =
          audited.mutate().response(audit.responseCapture.decorate(audited.getResponse())).build();
    }
    if (longRunning) {
      exchange
          .getResponse()
          .beforeCommit(
              () -> {
                audit.emit(AuditStage.ResponseStarted);
                return Mono.empty();
              });
    }
    return chain
        .filter(audited)
        .doOnError(audit::failed)
        .doFinally(signal -> audit.complete())
        .contextWrite(ctx -> ctx.put(AuditAnnotations.class, audit.added));
  }

  /**
   * Kubernetes' audit of a failed authentication (its {@code WithFailedAuthenticationAudit}): the
   * policy is asked without a user (so only rules naming no users or groups match), and the event
   * is one {@code ResponseStarted} with the 401: who tried, from where, for what.
   */
  void authenticationFailed(ServerWebExchange exchange, ApiException refusal) {
    AuthorizationAttributes attributes = attributes(exchange);
    AuditPolicy.Decision decision = policy.evaluate(attributes);
    if (decision.logs(AuditStage.ResponseStarted)) {
      RequestAudit audit = new RequestAudit(exchange, auditId(exchange), attributes, decision);
      audit.failed(refusal);
      audit.emit(AuditStage.ResponseStarted);
    }
  }

  /** The caller's {@code Audit-ID}, or a new one; either way sent back. */
  private static String auditId(ServerWebExchange exchange) {
    String incoming = exchange.getRequest().getHeaders().getFirst(AUDIT_ID_HEADER);
    String auditId =
        incoming == null || incoming.isBlank() ? UUID.randomUUID().toString() : incoming.trim();
    exchange.getResponse().getHeaders().set(AUDIT_ID_HEADER, auditId);
    return auditId;
  }

  private static AuthorizationAttributes attributes(ServerWebExchange exchange) {
    ServerHttpRequest request = exchange.getRequest();
    return RequestAttributes.of(
        UserInfo.of(exchange),
        request.getMethod().name(),
        request.getPath().pathWithinApplication().value(),
        request.getQueryParams());
  }

  private static boolean isLongRunning(AuthorizationAttributes a) {
    return a.resourceRequest()
        && (LONG_RUNNING_VERBS.contains(a.verb())
            || LONG_RUNNING_SUBRESOURCES.contains(a.subresource()));
  }

  /** False for JSON (or no type, which is read as JSON), true for protobuf, null for others. */
  static Boolean bodyFormat(MediaType type) {
    if (type == null) {
      return false;
    }
    String subtype = type.getSubtype();
    if (type.getType().equals("application")
        && (subtype.equals("json") || subtype.endsWith("+json"))) {
      return false;
    }
    if (KubernetesProtobuf.MEDIA_TYPE.equals(type.getType() + "/" + subtype)) {
      return true;
    }
    return null;
  }

  /** One request's audit state, shared by the stages it emits. */
  private final class RequestAudit {
    private final ServerWebExchange exchange;
    private final String auditId;
    private final AuthorizationAttributes attributes;
    private final AuditPolicy.Decision decision;
    private final Instant received;
    private final String requestUri;
    private final List<String> sourceIps;
    private final String userAgent;
    private final AuditEvent.ObjectRef objectRef;
    private final AtomicBoolean done = new AtomicBoolean();
    private final AuditAnnotations added = new AuditAnnotations();
    private BodyCapture requestCapture;
    private BodyCapture responseCapture;
    private volatile Throwable failure;

    RequestAudit(
        ServerWebExchange exchange,
        String auditId,
        AuthorizationAttributes attributes,
        AuditPolicy.Decision decision) {
      this.exchange = exchange;
      this.auditId = auditId;
      this.attributes = attributes;
      this.decision = decision;
      this.received = clock.instant();
      ServerHttpRequest request = exchange.getRequest();
      String query = request.getURI().getRawQuery();
      this.requestUri = request.getURI().getRawPath() + (query == null ? "" : "?" + query);
      this.sourceIps = sourceIps(request);
      this.userAgent = request.getHeaders().getFirst(HttpHeaders.USER_AGENT);
      this.objectRef =
          attributes.resourceRequest()
              ? new AuditEvent.ObjectRef(
                  attributes.resource(),
                  attributes.namespace(),
                  attributes.name(),
                  attributes.apiGroup(),
                  attributes.apiVersion(),
                  attributes.subresource())
              : null;
    }

    void failed(Throwable e) {
      failure = e;
    }

    void complete() {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      Throwable e = failure;
      boolean panic =
          e != null && !(e instanceof ApiException) && !(e instanceof ResponseStatusException);
      emit(panic ? AuditStage.Panic : AuditStage.ResponseComplete);
    }

    void emit(AuditStage stage) {
      if (!decision.logs(stage) || (stage == AuditStage.ResponseStarted && done.get())) {
        return;
      }
      AuditEvent.ResponseStatus status = null;
      Object responseBody = null;
      Throwable e = failure;
      if (stage != AuditStage.RequestReceived) {
        if (e instanceof ApiException api) {
          Status s = api.toStatus();
          status =
              new AuditEvent.ResponseStatus(api.code(), "Failure", api.reason(), s.getMessage());
          responseBody = s;
        } else if (e instanceof ResponseStatusException rse) {
          status =
              new AuditEvent.ResponseStatus(
                  rse.getStatusCode().value(), "Failure", "", String.valueOf(rse.getReason()));
        } else if (e != null) {
          status =
              new AuditEvent.ResponseStatus(
                  500,
                  "Failure",
                  "InternalError",
                  "Internal error occurred: " + e.getClass().getSimpleName());
        } else {
          var code = exchange.getResponse().getStatusCode();
          status = AuditEvent.ResponseStatus.success(code == null ? 200 : code.value());
          if (stage == AuditStage.ResponseComplete
              && responseCapture != null
              && Boolean.FALSE.equals(
                  bodyFormat(exchange.getResponse().getHeaders().getContentType()))) {
            responseBody = responseCapture.body();
          }
        }
      }
      UserInfo now = UserInfo.of(exchange);
      sink.accept(
          new AuditEvent(
              decision.level(),
              auditId,
              stage,
              requestUri,
              attributes.verb(),
              attributes.user(),
              now != null && now != attributes.user() ? now : null,
              sourceIps,
              userAgent,
              objectRef,
              status,
              requestCapture == null || stage == AuditStage.RequestReceived
                  ? null
                  : requestCapture.body(),
              responseBody,
              received,
              stage == AuditStage.RequestReceived ? received : clock.instant(),
              annotations()));
    }

    private Map<String, String> annotations() {
      Authorizer.Decision d = exchange.getAttribute(AuthorizationFilter.DECISION_ATTRIBUTE);
      Map<String, String> annotations = new LinkedHashMap<>();
      if (d != null) {
        annotations.put(
            DECISION_ANNOTATION,
            d.verdict() == Authorizer.Decision.Verdict.ALLOW ? "allow" : "forbid");
        annotations.put(REASON_ANNOTATION, d.reason());
      }
      // Admission's, such as Pod Security's, in the order they were added.
      annotations.putAll(added.snapshot());
      return annotations;
    }
  }

  /**
   * The caller's addresses as Kubernetes lists them: those of {@code X-Forwarded-For}, then {@code
   * X-Real-Ip}, then the connection's peer, each once where it repeats the one before.
   */
  static List<String> sourceIps(ServerHttpRequest request) {
    List<String> ips = new ArrayList<>();
    String forwarded = request.getHeaders().getFirst("X-Forwarded-For");
    if (forwarded != null) {
      for (String ip : forwarded.split(",")) {
        addIp(ips, ip.trim());
      }
    }
    String real = request.getHeaders().getFirst("X-Real-Ip");
    if (real != null) {
      addIp(ips, real.trim());
    }
    InetSocketAddress remote = request.getRemoteAddress();
    if (remote != null && remote.getAddress() != null) {
      addIp(ips, remote.getAddress().getHostAddress());
    }
    return List.copyOf(ips);
  }

  private static void addIp(List<String> ips, String ip) {
    if (!ip.isEmpty()
        && IP_LITERAL.matcher(ip).matches()
        && (ips.isEmpty() || !ips.get(ips.size() - 1).equals(ip))) {
      ips.add(ip);
    }
  }
}
