package io.nauta.api.security.review;

import io.nauta.api.http.RequestBodies;
import io.nauta.api.resource.ObjectCodec;
import io.nauta.api.resource.ResourceService;
import io.nauta.api.security.AuthorizationAttributes;
import io.nauta.api.security.Authorizer.Decision;
import io.nauta.api.security.AuthorizerChain;
import io.nauta.api.security.UserInfo;
import io.nauta.api.security.rbac.PolicyRule;
import io.nauta.api.security.rbac.RbacPolicySource;
import io.nauta.core.errors.FieldError;
import io.nauta.core.errors.InvalidException;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * {@code authorization.k8s.io/v1} access reviews: posted, answered, never stored. Each is answered
 * through the same {@link AuthorizerChain} as real requests, so {@code kubectl auth can-i} says
 * exactly what the request would get. Who may post which review is decided before, by the
 * authorization filter ({@code create} on the review's resource).
 */
@Component
public class AccessReviews {

  private final AuthorizerChain authorizers;
  private final RbacPolicySource policies;
  private final RequestBodies bodies;
  private final ObjectCodec codec;

  public AccessReviews(
      AuthorizerChain authorizers,
      RbacPolicySource policies,
      RequestBodies bodies,
      ObjectCodec codec) {
    this.authorizers = authorizers;
    this.policies = policies;
    this.bodies = bodies;
    this.codec = codec;
  }

  /** {@code POST /apis/authorization.k8s.io/v1/[namespaces/{ns}/]{plural}}. */
  public Mono<ServerResponse> create(ServerRequest request) {
    String plural = request.pathVariable("plural");
    String namespace = request.pathVariables().getOrDefault("namespace", "");
    ResourceType type =
        BuiltInResources.registry()
            .find(BuiltInResources.AUTHORIZATION_GROUP, "v1", plural)
            .filter(ResourceType::createOnly)
            .filter(t -> t.namespaced() == !namespace.isEmpty())
            .orElseThrow(
                () -> new NotFoundException("the server could not find the requested resource"));
    return Mono.deferContextual(
            ctx ->
                bodies
                    .readObject(request)
                    .flatMap(
                        body -> {
                          ResourceService.checkKind(type, body);
                          UserInfo caller =
                              ctx.<UserInfo>getOrEmpty(UserInfo.ATTRIBUTE)
                                  .orElse(
                                      new UserInfo(
                                          UserInfo.ANONYMOUS, List.of(UserInfo.UNAUTHENTICATED)));
                          return answer(type, namespace, body, caller);
                        }))
        .flatMap(
            answered ->
                ServerResponse.status(HttpStatus.CREATED)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(codec.write(answered)));
  }

  private Mono<ObjectNode> answer(
      ResourceType type, String namespace, ObjectNode review, UserInfo caller) {
    ObjectNode spec = review.get("spec") instanceof ObjectNode s ? s : review.putObject("spec");
    if (type == BuiltInResources.SELF_SUBJECT_RULES_REVIEWS) {
      return Mono.just(rules(review, spec, caller));
    }
    UserInfo subject =
        type == BuiltInResources.SELF_SUBJECT_ACCESS_REVIEWS ? caller : subjectOf(type, spec);
    AuthorizationAttributes attributes = attributes(type, namespace, spec, subject);
    return authorizers
        .authorize(attributes)
        .map(
            d -> {
              ObjectNode status = review.putObject("status");
              status.put("allowed", d.verdict() == Decision.Verdict.ALLOW);
              if (d.verdict() == Decision.Verdict.DENY) {
                status.put("denied", true);
              }
              if (!d.reason().isEmpty()) {
                status.put("reason", d.reason());
              }
              return review;
            });
  }

  /** The user a SubjectAccessReview asks about: at least a user or a group must be named. */
  private static UserInfo subjectOf(ResourceType type, ObjectNode spec) {
    String user = spec.path("user").asString("");
    List<String> groups = new ArrayList<>();
    spec.path("groups").forEach(g -> groups.add(g.asString("")));
    if (user.isEmpty() && groups.isEmpty()) {
      throw invalid(
          type,
          FieldError.invalid("spec.user", "", "at least one of user or group must be specified"));
    }
    Map<String, List<String>> extra = new java.util.LinkedHashMap<>();
    spec.path("extra")
        .properties()
        .forEach(
            e -> {
              List<String> values = new ArrayList<>();
              e.getValue().forEach(v -> values.add(v.asString("")));
              extra.put(e.getKey(), values);
            });
    return new UserInfo(user, spec.path("uid").asString(""), groups, extra);
  }

  private static AuthorizationAttributes attributes(
      ResourceType type, String namespace, ObjectNode spec, UserInfo subject) {
    JsonNode resource = spec.get("resourceAttributes");
    JsonNode nonResource = spec.get("nonResourceAttributes");
    boolean hasResource = resource != null && !resource.isNull();
    boolean hasNonResource = nonResource != null && !nonResource.isNull();
    if (hasResource == hasNonResource) {
      throw invalid(
          type,
          FieldError.invalid(
              "spec.resourceAttributes",
              hasResource ? "{...}" : "null",
              "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
    }
    if (type == BuiltInResources.LOCAL_SUBJECT_ACCESS_REVIEWS) {
      if (hasNonResource) {
        throw invalid(
            type,
            FieldError.invalid(
                "spec.nonResourceAttributes", "{...}", "disallowed on this kind of request"));
      }
      String asked = resource.path("namespace").asString("");
      if (!asked.isEmpty() && !asked.equals(namespace)) {
        throw invalid(
            type,
            FieldError.invalid(
                "spec.resourceAttributes.namespace", asked, "must match metadata.namespace"));
      }
    }
    if (hasNonResource) {
      return AuthorizationAttributes.nonResource(
          subject, nonResource.path("verb").asString(""), nonResource.path("path").asString(""));
    }
    String ns =
        type == BuiltInResources.LOCAL_SUBJECT_ACCESS_REVIEWS
            ? namespace
            : resource.path("namespace").asString("");
    return AuthorizationAttributes.resource(
        subject,
        resource.path("verb").asString(""),
        resource.path("group").asString(""),
        resource.path("version").asString(""),
        resource.path("resource").asString(""),
        resource.path("subresource").asString(""),
        ns,
        resource.path("name").asString(""));
  }

  /** SelfSubjectRulesReview: every rule the caller holds in {@code spec.namespace}. */
  private ObjectNode rules(ObjectNode review, ObjectNode spec, UserInfo caller) {
    String namespace = spec.path("namespace").asString("");
    ObjectNode status = review.putObject("status");
    ArrayNode resourceRules = status.putArray("resourceRules");
    ArrayNode nonResourceRules = status.putArray("nonResourceRules");
    for (PolicyRule r : policies.policy().rulesFor(caller, namespace)) {
      if (!r.nonResourceURLs().isEmpty()) {
        ObjectNode n = nonResourceRules.addObject();
        strings(n.putArray("verbs"), r.verbs());
        strings(n.putArray("nonResourceURLs"), r.nonResourceURLs());
        continue;
      }
      ObjectNode n = resourceRules.addObject();
      strings(n.putArray("verbs"), r.verbs());
      strings(n.putArray("apiGroups"), r.apiGroups());
      strings(n.putArray("resources"), r.resources());
      if (!r.resourceNames().isEmpty()) {
        strings(n.putArray("resourceNames"), r.resourceNames());
      }
    }
    status.put("incomplete", false);
    return review;
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static InvalidException invalid(ResourceType type, FieldError error) {
    return new InvalidException(
        type.kind(), new ResourceRef(type.group(), type.kind(), ""), List.of(error));
  }
}
