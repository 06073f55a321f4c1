package io.nauta.api.http;

import io.nauta.core.registry.ResourceType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Every {@link SubresourceHandler} bean, by (type, subresource). */
@Component
public class SubresourceHandlers {

  private record Key(ResourceType type, String subresource) {}

  private final Map<Key, SubresourceHandler> byKey = new HashMap<>();
  private final List<SubresourceHandler> handlers;

  public SubresourceHandlers(List<SubresourceHandler> handlers) {
    this.handlers = List.copyOf(handlers);
    for (SubresourceHandler h : handlers) {
      for (ResourceType t : h.types()) {
        if (byKey.putIfAbsent(new Key(t, h.subresource()), h) != null) {
          throw new IllegalStateException(
              "two handlers for " + t.groupResource() + "/" + h.subresource());
        }
      }
    }
  }

  /** The handler of {@code subresource} (null: the resource itself) of {@code type}, if any. */
  public Optional<SubresourceHandler> find(ResourceType type, String subresource) {
    SubresourceHandler listed = byKey.get(new Key(type, subresource));
    if (listed != null || subresource == null) {
      return Optional.ofNullable(listed);
    }
    // Custom resources come and go: their handlers say whether they serve a type.
    return handlers.stream()
        .filter(h -> java.util.Objects.equals(h.subresource(), subresource) && h.serves(type))
        .findFirst();
  }
}
