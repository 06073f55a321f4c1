package io.nauta.api.authentication;

import io.nauta.api.http.RequestBodies;
import io.nauta.api.http.RequestInfo;
import io.nauta.api.http.SubresourceHandler;
import io.nauta.api.resource.ObjectCodec;
import io.nauta.api.security.AuthenticationFilter;
import io.nauta.api.security.UserInfo;
import io.nauta.api.serviceaccount.ServiceAccountTokenProperties;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.errors.MethodNotAllowedException;
import io.nauta.core.errors.UnauthorizedException;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The create-only kinds of {@code authentication.k8s.io/v1}, answered from the request and never
 * stored: TokenReview (is this bearer token valid, and whose is it?) and SelfSubjectReview ({@code
 * kubectl auth whoami}: who am I to the API server?).
 */
@Component
public class AuthenticationReviews implements SubresourceHandler {

  private final List<TokenAuthenticator> tokenAuthenticators;
  private final RequestBodies bodies;
  private final ObjectCodec codec;
  private final ServiceAccountTokenProperties props;

  /**
   * {@code tokenAuthenticators} in {@code @Order}, as the request path asks them: the static token
   * file, bootstrap tokens, service-account tokens (when security is off, service-account tokens
   * only).
   */
  public AuthenticationReviews(
      List<TokenAuthenticator> tokenAuthenticators,
      RequestBodies bodies,
      ObjectCodec codec,
      ServiceAccountTokenProperties props) {
    this.tokenAuthenticators = List.copyOf(tokenAuthenticators);
    this.bodies = bodies;
    this.codec = codec;
    this.props = props;
  }

  @Override
  public String subresource() {
    return null; // the whole resource: nothing of a review is stored
  }

  @Override
  public Set<ResourceType> types() {
    return Set.of(BuiltInResources.TOKENREVIEWS, BuiltInResources.SELFSUBJECTREVIEWS);
  }

  @Override
  public Mono<ServerResponse> handle(ServerRequest request, ResourceType type, RequestInfo info) {
    return create(request, type, info.namespace(), info.name());
  }

  /** {@code POST} of a review; any other verb, or a name in the path, is 405 as in Kubernetes. */
  public Mono<ServerResponse> create(
      ServerRequest request, ResourceType type, String namespace, String name) {
    if (!"POST".equals(request.method().name()) || name != null) {
      throw new MethodNotAllowedException(
          "the server does not allow this method on the requested resource");
    }
    if (namespace != null) {
      throw new BadRequestException("namespace is not allowed on this type: " + namespace);
    }
    Mono<ObjectNode> answer =
        bodies
            .readObject(request)
            .flatMap(
                body ->
                    type.equals(BuiltInResources.TOKENREVIEWS)
                        ? tokenReview(body)
                        : Mono.fromSupplier(() -> selfSubjectReview(body, request)));
    return answer.flatMap(
        out ->
            ServerResponse.status(HttpStatus.CREATED)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(codec.write(out)));
  }

  /**
   * Kubernetes' TokenReview: the token is authenticated as a request carrying it would be, for the
   * audiences the review names (the API server's own when none), and the answer says whether and as
   * whom; an invalid token is a review that says no, with the reason in {@code status.error}.
   */
  private Mono<ObjectNode> tokenReview(ObjectNode body) {
    ObjectNode review = body.deepCopy();
    review.put("kind", "TokenReview");
    review.put("apiVersion", "authentication.k8s.io/v1");
    ObjectNode spec = review.get("spec") instanceof ObjectNode s ? s : review.putObject("spec");
    String token = spec.path("token").asString("");
    if (token.isEmpty()) {
      throw new BadRequestException("token is required for TokenReview in authentication");
    }
    List<String> asked = new ArrayList<>();
    if (spec.get("audiences") instanceof ArrayNode a) {
      a.forEach(v -> asked.add(v.asString()));
    }
    List<String> audiences = asked.isEmpty() ? props.audiences() : asked;
    List<String> errors = new ArrayList<>();
    return Flux.fromIterable(tokenAuthenticators)
        .concatMap(
            a ->
                a.authenticateToken(token, audiences)
                    .onErrorResume(
                        UnauthorizedException.class,
                        e -> {
                          errors.add(e.getMessage());
                          return Mono.empty();
                        }))
        .next()
        .map(
            found -> {
              ObjectNode status = review.putObject("status");
              status.put("authenticated", true);
              // As the request path: every authenticated user is in system:authenticated.
              status.set("user", user(AuthenticationFilter.withAuthenticatedGroup(found.user())));
              ArrayNode auds = status.putArray("audiences");
              found.audiences().forEach(auds::add);
              return review;
            })
        .switchIfEmpty(
            Mono.fromSupplier(
                () -> {
                  ObjectNode status = review.putObject("status");
                  status.putObject("user");
                  status.put("error", errors.isEmpty() ? "invalid bearer token" : error(errors));
                  return review;
                }));
  }

  /** Go's aggregate error: one message alone, several as {@code [a, b]}. */
  private static String error(List<String> errors) {
    return errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]";
  }

  /** Kubernetes' SelfSubjectReview: the requester's own user, as authentication left it. */
  private ObjectNode selfSubjectReview(ObjectNode body, ServerRequest request) {
    ObjectNode review = body.deepCopy();
    review.put("kind", "SelfSubjectReview");
    review.put("apiVersion", "authentication.k8s.io/v1");
    UserInfo user = UserInfo.of(request.exchange());
    if (user == null) {
      // Security off: nobody authenticated, the request is anonymous as Kubernetes names it.
      user = new UserInfo(UserInfo.ANONYMOUS, List.of(UserInfo.UNAUTHENTICATED));
    }
    review.putObject("status").set("userInfo", user(user));
    return review;
  }

  private ObjectNode user(UserInfo user) {
    ObjectNode u = codec.mapper().createObjectNode();
    u.put("username", user.name());
    if (user.uid() != null && !user.uid().isEmpty()) {
      u.put("uid", user.uid());
    }
    ArrayNode groups = u.putArray("groups");
    user.groups().forEach(groups::add);
    if (!user.extra().isEmpty()) {
      ObjectNode extra = u.putObject("extra");
      for (Map.Entry<String, List<String>> e : user.extra().entrySet()) {
        ArrayNode values = extra.putArray(e.getKey());
        e.getValue().forEach(values::add);
      }
    }
    return u;
  }
}
