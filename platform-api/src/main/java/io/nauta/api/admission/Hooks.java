package io.nauta.api.admission;

import io.nauta.core.registry.ResourceType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The {@link StoreHooks} of each type, beside {@link Strategies}: every {@code StoreHooks} bean, by
 * its type; a type without any gets {@link #NONE}, which does nothing.
 */
@Component
public class Hooks {

  /** The hooks of a kind that has none: no side effects, no graceful deletion. */
  public static final StoreHooks NONE =
      new StoreHooks() {
        @Override
        public ResourceType type() {
          return null;
        }
      };

  private final Map<ResourceType, StoreHooks> byType = new HashMap<>();

  public Hooks(List<StoreHooks> hooks) {
    for (StoreHooks h : hooks) {
      if (byType.putIfAbsent(h.type(), h) != null) {
        throw new IllegalStateException("two store hooks for " + h.type().groupResource());
      }
    }
  }

  public StoreHooks of(ResourceType type) {
    return byType.getOrDefault(type, NONE);
  }
}
