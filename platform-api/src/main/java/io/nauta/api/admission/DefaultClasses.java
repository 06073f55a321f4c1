package io.nauta.api.admission;

import io.nauta.api.cache.CachedObject;
import io.nauta.core.registry.ResourceType;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The default class of a kind of classes (StorageClasses, IngressClasses), as the admission plugins
 * that fill a new object's class pick it: among the classes marked default, the newest, then the
 * first by name.
 */
final class DefaultClasses {

  private DefaultClasses() {}

  /**
   * The name of the default class as of now (a consistent read of the classes' watch cache, as a
   * lister that has caught up); empty when there is none.
   */
  static Mono<String> current(
      NamespaceObjects objects, ResourceType type, Predicate<JsonNode> isDefault) {
    return objects
        .list(type, null)
        .flatMap(classes -> Mono.justOrEmpty(newest(classes, isDefault)));
  }

  /** Newest first, then by name, as upstream's {@code GetDefaultClass} sorts the defaults. */
  static Optional<String> newest(List<CachedObject> classes, Predicate<JsonNode> isDefault) {
    return classes.stream()
        .map(CachedObject::node)
        .filter(isDefault)
        .min(
            Comparator.comparing(DefaultClasses::created, Comparator.<Instant>reverseOrder())
                .thenComparing(n -> n.path("metadata").path("name").asString("")))
        .map(n -> n.path("metadata").path("name").asString(""));
  }

  private static Instant created(JsonNode n) {
    try {
      return Instant.parse(n.path("metadata").path("creationTimestamp").asString(""));
    } catch (RuntimeException e) {
      return Instant.EPOCH;
    }
  }
}
