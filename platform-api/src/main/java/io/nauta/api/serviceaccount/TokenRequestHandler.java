package io.nauta.api.serviceaccount;

import io.nauta.api.admission.NodeRestriction;
import io.nauta.api.http.RequestBodies;
import io.nauta.api.http.RequestInfo;
import io.nauta.api.http.SubresourceHandler;
import io.nauta.api.resource.Meta;
import io.nauta.api.resource.ObjectCodec;
import io.nauta.api.resource.ResourceService;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.errors.ConflictException;
import io.nauta.core.errors.FieldError;
import io.nauta.core.errors.InvalidException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token}: an {@code
 * authentication.k8s.io/v1} TokenRequest, answered with a signed token and never stored, as
 * Kubernetes' {@code TokenREST} does ({@code kubectl create token}).
 */
@Component
public class TokenRequestHandler implements SubresourceHandler {

  static final String GROUP = "authentication.k8s.io";
  static final String KIND = "TokenRequest";

  /** Kubernetes' default and least lifetime of a requested token. */
  static final long DEFAULT_EXPIRATION_SECONDS = 3600;

  static final long MIN_EXPIRATION_SECONDS = 600;
  static final long MAX_EXPIRATION_SECONDS = 1L << 32;

  private final ResourceService service;
  private final RequestBodies bodies;
  private final ObjectCodec codec;
  private final TokenIssuer issuer;
  private final ServiceAccountTokenProperties props;
  private final NodeRestriction nodeRestriction;
  private final Clock clock = Clock.systemUTC();

  public TokenRequestHandler(
      ResourceService service,
      RequestBodies bodies,
      ObjectCodec codec,
      TokenIssuer issuer,
      ServiceAccountTokenProperties props,
      NodeRestriction nodeRestriction) {
    this.service = service;
    this.nodeRestriction = nodeRestriction;
    this.bodies = bodies;
    this.codec = codec;
    this.issuer = issuer;
    this.props = props;
  }

  @Override
  public String subresource() {
    return "token";
  }

  @Override
  public Set<ResourceType> types() {
    return Set.of(BuiltInResources.SERVICEACCOUNTS);
  }

  @Override
  public Mono<ServerResponse> handle(ServerRequest request, ResourceType type, RequestInfo info) {
    if (request.method() != HttpMethod.POST || info.legacyWatch()) {
      throw SubresourceHandler.notAllowed();
    }
    return create(request, info.namespace(), info.name());
  }

  public Mono<ServerResponse> create(ServerRequest request, String namespace, String name) {
    return bodies
        .readObject(request)
        .flatMap(
            body ->
                // Admission runs before the token is made, as in Kubernetes.
                nodeRestriction
                    .admitTokenRequest(
                        name, body, pod -> service.get(BuiltInResources.PODS, namespace, pod))
                    .then(Mono.defer(() -> issue(body, namespace, name))))
        .flatMap(
            out ->
                ServerResponse.status(HttpStatus.CREATED)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(codec.write(out)));
  }

  private Mono<ObjectNode> issue(ObjectNode body, String namespace, String name) {
    ObjectNode req = body.deepCopy();
    req.put("kind", KIND);
    req.put("apiVersion", GROUP + "/v1");
    String bodyName = Meta.name(req);
    String bodyNamespace = Meta.namespace(req);
    ResourceRef target = new ResourceRef(GROUP, KIND, bodyName == null ? "" : bodyName);
    if (bodyName != null && !bodyName.isEmpty() && !bodyName.equals(name)) {
      throw invalid(
          target,
          FieldError.invalid(
              "metadata.name", bodyName, "must match the service account name if specified"));
    }
    if (bodyNamespace != null && !bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
      throw invalid(
          target,
          FieldError.invalid(
              "metadata.namespace",
              bodyNamespace,
              "must match the service account namespace if specified"));
    }
    ObjectNode spec = req.get("spec") instanceof ObjectNode s ? s : req.putObject("spec");
    long expiration = expirationSeconds(spec, target);
    List<String> audiences = audiences(spec);
    JsonNode ref = spec.get("boundObjectRef");
    return service
        .get(BuiltInResources.SERVICEACCOUNTS, namespace, name)
        .flatMap(
            sa ->
                boundObject(ref, namespace, name)
                    .map(bound -> sign(req, sa, bound, expiration, audiences))
                    .switchIfEmpty(
                        Mono.fromSupplier(() -> sign(req, sa, null, expiration, audiences))));
  }

  /** The bound pod or secret, checked as Kubernetes checks it; empty when none is named. */
  private Mono<Bound> boundObject(JsonNode ref, String namespace, String saName) {
    if (ref == null || !ref.isObject()) {
      return Mono.empty();
    }
    String apiVersion = ref.path("apiVersion").asString("");
    String kind = ref.path("kind").asString("");
    String refName = ref.path("name").asString("");
    String refUid = ref.path("uid").asString("");
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    ResourceType type;
    if (group.isEmpty() && kind.equals("Pod")) {
      type = BuiltInResources.PODS;
    } else if (group.isEmpty() && kind.equals("Secret")) {
      type = BuiltInResources.SECRETS;
    } else {
      String version =
          apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
      return Mono.error(
          new BadRequestException(
              "cannot bind token to object of type " + group + "/" + version + ", Kind=" + kind));
    }
    return service
        .get(type, namespace, refName)
        .map(
            obj -> {
              if (type == BuiltInResources.PODS) {
                String podSa = obj.path("spec").path("serviceAccountName").asString("");
                if (!saName.equals(podSa)) {
                  throw new BadRequestException(
                      "cannot bind token for serviceaccount \""
                          + saName
                          + "\" to pod running with serviceaccount \""
                          + podSa
                          + "\"");
                }
              }
              String uid = Meta.uid(obj);
              if (!refUid.isEmpty() && !refUid.equals(uid)) {
                throw new ConflictException(
                    "Operation cannot be fulfilled on "
                        + kind
                        + " \""
                        + refName
                        + "\": the UID in the bound object reference ("
                        + refUid
                        + ") does not match the UID in record ("
                        + uid
                        + "). The object might have been deleted and then recreated",
                    new ResourceRef(group, kind, refName));
              }
              return new Bound(type, new TokenClaims.Ref(refName, uid));
            });
  }

  private record Bound(ResourceType type, TokenClaims.Ref ref) {}

  private ObjectNode sign(
      ObjectNode req, JsonNode sa, Bound bound, long expiration, List<String> audiences) {
    Instant now = clock.instant();
    Instant expires = now.plusSeconds(expiration);
    TokenClaims claims =
        new TokenClaims(
            props.issuer(),
            audiences,
            now,
            expires,
            UUID.randomUUID().toString(),
            Meta.namespace(sa),
            new TokenClaims.Ref(Meta.name(sa), Meta.uid(sa)),
            bound != null && bound.type() == BuiltInResources.PODS ? bound.ref() : null,
            bound != null && bound.type() == BuiltInResources.SECRETS ? bound.ref() : null);
    String token = issuer.issue(claims);
    ObjectNode status = req.putObject("status");
    status.put("token", token);
    status.put("expirationTimestamp", Meta.timestamp(expires));
    return req;
  }

  /** {@code spec.expirationSeconds}: defaulted to an hour, validated, cut to the configured max. */
  private long expirationSeconds(ObjectNode spec, ResourceRef target) {
    JsonNode e = spec.get("expirationSeconds");
    long seconds = e == null || e.isNull() ? DEFAULT_EXPIRATION_SECONDS : e.asLong();
    List<FieldError> errs = new ArrayList<>();
    if (seconds < MIN_EXPIRATION_SECONDS) {
      errs.add(
          FieldError.invalid(
              "spec.expirationSeconds",
              seconds,
              "may not specify a duration less than 10 minutes"));
    }
    if (seconds > MAX_EXPIRATION_SECONDS) {
      errs.add(
          FieldError.invalid(
              "spec.expirationSeconds",
              seconds,
              "may not specify a duration larger than 2^32 seconds"));
    }
    if (!errs.isEmpty()) {
      throw new InvalidException(KIND + "." + GROUP, target, errs);
    }
    long max = props.maxTokenExpiration().toSeconds();
    if (max > 0 && seconds > max) {
      seconds = max;
    }
    spec.put("expirationSeconds", seconds);
    return seconds;
  }

  /** {@code spec.audiences}, or the API server's own when none are named. */
  private List<String> audiences(ObjectNode spec) {
    List<String> out = new ArrayList<>();
    if (spec.get("audiences") instanceof ArrayNode a) {
      a.forEach(v -> out.add(v.asString()));
    }
    if (out.isEmpty()) {
      out.addAll(props.audiences());
      ArrayNode a = spec.putArray("audiences");
      out.forEach(a::add);
    }
    return out;
  }

  private static InvalidException invalid(ResourceRef target, FieldError error) {
    return new InvalidException(KIND + "." + GROUP, target, List.of(error));
  }
}
