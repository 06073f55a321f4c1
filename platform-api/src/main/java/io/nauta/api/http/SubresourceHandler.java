package io.nauta.api.http;

import io.nauta.core.errors.MethodNotAllowedException;
import io.nauta.core.registry.ResourceType;
import java.util.Set;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Serves a subresource with rules of its own ({@code pods/binding}, {@code pods/log}), in place of
 * {@link ApiHandler}'s generic verbs, as each of Kubernetes' subresources is a REST storage of its
 * own ({@code BindingREST}, {@code LogREST}).
 *
 * <p>Adding a subresource is one {@code @Component} implementing this interface, plus the
 * subresource's name in the {@code ResourceType}'s {@code subresources} (which routing, discovery
 * and OpenAPI read; a path to a subresource not listed there is a 404 before any handler is asked).
 * {@link SubresourceHandlers} finds it by (type, subresource); one handler per pair.
 *
 * <p>A handler with a null {@link #subresource()} takes every request to its resource types. That
 * is the seam for a kind that is answered, never stored (a create-only review kind such as {@code
 * TokenReview}): register its {@code ResourceType} and a handler for it with a null subresource
 * that answers POST on the collection and refuses the rest with {@link #notAllowed()}.
 */
public interface SubresourceHandler {

  /** The subresource served, e.g. {@code "binding"}; null for the whole resource. */
  String subresource();

  /** The resource types whose {@link #subresource()} this handler serves. */
  Set<ResourceType> types();

  /**
   * Whether it serves {@code type}'s subresource, for types that come and go at run time (custom
   * resources) and so cannot be listed in {@link #types()}; {@link #types()} by default.
   */
  default boolean serves(ResourceType type) {
    return types().contains(type);
  }

  /**
   * Answers a request for {@code info}'s subresource of an object of {@code type}. Runs inside
   * {@code Mono.defer}: it may throw an {@code ApiException} to answer with its Status.
   */
  Mono<ServerResponse> handle(ServerRequest request, ResourceType type, RequestInfo info);

  /** Kubernetes' 405 for a method the subresource does not serve. */
  static MethodNotAllowedException notAllowed() {
    return new MethodNotAllowedException(
        "the server does not allow this method on the requested resource");
  }
}
