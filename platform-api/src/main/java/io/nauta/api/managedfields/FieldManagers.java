package io.nauta.api.managedfields;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.nauta.api.customresource.CustomResources;
import io.nauta.core.managedfields.FieldManager;
import io.nauta.core.managedfields.FieldSchema;
import io.nauta.core.registry.ResourceType;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The {@link FieldManager} of each served kind: a built-in kind's list-map keys come from its patch
 * schema, a custom resource's from its definition's structural schema (rebuilt when the definition
 * changes). {@code nauta.managed-fields.enabled=false} turns tracking off, for measuring what it
 * costs; server-side apply still works then, but Update writes record nothing.
 */
@Component
public class FieldManagers {

  private record Cached(JsonNode schema, FieldManager manager) {}

  private final CustomResources customResources;
  private final boolean enabled;
  private final Clock clock;
  private final Map<ResourceType, Cached> byType = new ConcurrentHashMap<>();

  @Autowired
  public FieldManagers(
      CustomResources customResources,
      @Value("${nauta.managed-fields.enabled:true}") boolean enabled) {
    this(customResources, enabled, Clock.systemUTC());
  }

  public FieldManagers(CustomResources customResources, boolean enabled, Clock clock) {
    this.customResources = customResources;
    this.enabled = enabled;
    this.clock = clock;
  }

  /** Whether non-apply writes record their managedFields. */
  public boolean enabled() {
    return enabled;
  }

  public FieldManager of(ResourceType type) {
    JsonNode schema = null;
    boolean custom = type.modelClass() == GenericKubernetesResource.class;
    if (customResources != null && custom) {
      Optional<JsonNode> s = customResources.openApiSchema(type);
      schema = s.orElse(null);
    }
    JsonNode wanted = schema;
    Cached c = byType.get(type);
    if (c == null || c.schema() != wanted) {
      FieldSchema fields =
          wanted != null ? FieldSchema.fromOpenApi(wanted) : FieldSchema.forKind(type.kind());
      c =
          new Cached(
              wanted,
              new FieldManager(
                  fields,
                  type.hasSubresource("status"),
                  FieldManager.zeroObject(custom ? "" : type.kind()),
                  clock));
      byType.put(type, c);
    }
    return c.manager();
  }
}
