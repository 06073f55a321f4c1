package io.nauta.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Handlers are found by (type, subresource): a subresource of one type is not another type's, a
 * handler for the resource itself (null subresource) is found only for it, and two handlers for one
 * pair are refused at start-up rather than one silently winning.
 */
class SubresourceHandlersTest {

  static SubresourceHandler handler(String subresource, ResourceType... types) {
    return new SubresourceHandler() {
      @Override
      public String subresource() {
        return subresource;
      }

      @Override
      public Set<ResourceType> types() {
        return Set.of(types);
      }

      @Override
      public Mono<ServerResponse> handle(
          ServerRequest request, ResourceType type, RequestInfo info) {
        return Mono.empty();
      }
    };
  }

  @Test
  void aHandlerIsFoundForItsTypesAndSubresourceOnly() {
    SubresourceHandler binding = handler("binding", BuiltInResources.PODS);
    SubresourceHandler scale =
        handler("scale", BuiltInResources.DEPLOYMENTS, BuiltInResources.REPLICASETS);
    SubresourceHandler wholeResource = handler(null, BuiltInResources.EVENTS);
    SubresourceHandlers handlers = new SubresourceHandlers(List.of(binding, scale, wholeResource));

    assertThat(handlers.find(BuiltInResources.PODS, "binding")).containsSame(binding);
    assertThat(handlers.find(BuiltInResources.REPLICASETS, "scale")).containsSame(scale);
    assertThat(handlers.find(BuiltInResources.DEPLOYMENTS, "scale")).containsSame(scale);
    assertThat(handlers.find(BuiltInResources.EVENTS, null)).containsSame(wholeResource);
    // The generic verbs keep everything else.
    assertThat(handlers.find(BuiltInResources.PODS, null)).isEmpty();
    assertThat(handlers.find(BuiltInResources.PODS, "status")).isEmpty();
    assertThat(handlers.find(BuiltInResources.NODES, "binding")).isEmpty();
    assertThat(handlers.find(BuiltInResources.EVENTS, "status")).isEmpty();
  }

  @Test
  void twoHandlersForOnePairAreRefused() {
    assertThatThrownBy(
            () ->
                new SubresourceHandlers(
                    List.of(
                        handler("binding", BuiltInResources.PODS),
                        handler("binding", BuiltInResources.PODS))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pods/binding");
  }
}
