package io.nauta.api.customresource;

import io.nauta.api.admission.ResourceStrategy;
import io.nauta.api.customresource.schema.CompiledSchema;
import io.nauta.api.customresource.schema.CustomResourceSchema;
import io.nauta.api.customresource.schema.SchemaCompiler;
import io.nauta.api.table.CustomResourcePrinter;
import io.nauta.api.table.TablePrinter;
import io.nauta.core.registry.ResourceRegistry;
import io.nauta.core.registry.ResourceType;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The custom resources this API server serves now, by definition: what the registry holds for them
 * ({@link ResourceRegistry#put}) plus what only they have: the compiled schema behind their
 * strategy and the {@code openAPIV3Schema} that OpenAPI publishes. Changed only by {@link
 * DefinitionController}; read by strategies, OpenAPI and the HTTP layer.
 */
@Component
public class CustomResources {

  /** One served definition, with the table printer of each of its versions. */
  private record Served(
      Definition definition, CustomResourceStrategy strategy, Map<String, TablePrinter> printers) {}

  private final ResourceRegistry registry;
  private final Map<String, Served> byDefinition = new ConcurrentHashMap<>();
  private final Map<String, Served> byGroupResource = new ConcurrentHashMap<>();
  private final Set<String> terminating = ConcurrentHashMap.newKeySet();

  public CustomResources(ResourceRegistry registry) {
    this.registry = registry;
  }

  /**
   * Serves the definition's kind (or follows a change of it): its schema and strategy first, then
   * the registry entry, whose listeners start the watch cache and rebuild discovery and OpenAPI.
   *
   * @throws IllegalArgumentException when its paths are taken (the registry refuses)
   */
  synchronized void serve(Definition d) {
    Definition.Version storage = d.storageVersion();
    ResourceType storageType = d.type(storage);
    // Each version's writes are checked by its own schema (upstream has a strategy per version).
    Map<String, CustomResourceSchema> schemas = new HashMap<>();
    for (int i = 0; i < d.versions().size(); i++) {
      Definition.Version v = d.versions().get(i);
      CompiledSchema compiled =
          SchemaCompiler.compile(schemaOf(v), "spec.versions[" + i + "].schema.openAPIV3Schema");
      if (compiled.schema() == null) {
        throw new IllegalArgumentException(
            d.name() + ": the schema of " + v.name() + " does not compile: " + compiled.errors());
      }
      schemas.put(v.name(), compiled.schema());
    }
    Map<String, TablePrinter> printers = new HashMap<>();
    d.versions().forEach(v -> printers.put(v.name(), CustomResourcePrinter.of(v.columns())));
    Served served =
        new Served(
            d,
            new CustomResourceStrategy(storageType, storage.name(), schemas),
            Map.copyOf(printers));
    Served before = byDefinition.put(d.name(), served);
    if (before != null) {
      byGroupResource.remove(before.strategy().type().groupResource());
    }
    byGroupResource.put(storageType.groupResource(), served);
    try {
      registry.put(d.resourceSet());
    } catch (IllegalArgumentException e) {
      byDefinition.remove(d.name());
      byGroupResource.remove(storageType.groupResource());
      throw e;
    }
  }

  /** Every served definition has a schema per version (validation requires one). */
  private static JsonNode schemaOf(Definition.Version v) {
    return v.schema() != null
        ? v.schema()
        : JsonNodeFactory.instance
            .objectNode()
            .put("type", "object")
            .put("x-kubernetes-preserve-unknown-fields", true);
  }

  /** Stops serving the definition's kind: routes, discovery, OpenAPI and watch cache go. */
  synchronized void unserve(String definition) {
    registry.remove(definition);
    Served s = byDefinition.remove(definition);
    if (s != null) {
      byGroupResource.remove(s.strategy().type().groupResource());
    }
    terminating.remove(definition);
  }

  /** Whether the definition is served now as {@code d} says (nothing to do then). */
  boolean servedAs(Definition d) {
    Served s = byDefinition.get(d.name());
    return s != null && s.definition().equals(d);
  }

  boolean isServed(String definition) {
    return byDefinition.containsKey(definition);
  }

  /** Marks a definition being deleted: no new objects of its kind are created meanwhile. */
  void setTerminating(String definition, boolean on) {
    if (on) {
      terminating.add(definition);
    } else {
      terminating.remove(definition);
    }
  }

  /** Whether {@code type} is a custom resource whose definition is being deleted. */
  public boolean isTerminating(ResourceType type) {
    Served s = byGroupResource.get(type.groupResource());
    return s != null && terminating.contains(s.definition().name());
  }

  /** The strategy of a custom resource's storage type. */
  public Optional<ResourceStrategy> strategy(ResourceType type) {
    Served s = byGroupResource.get(type.groupResource());
    return s == null ? Optional.empty() : Optional.of(s.strategy());
  }

  /**
   * The {@code scale} subresource of a served custom resource version ({@code specReplicasPath},
   * {@code statusReplicasPath}, {@code labelSelectorPath}); empty when it has none.
   */
  public Optional<JsonNode> scale(ResourceType type) {
    Served s = byGroupResource.get(type.groupResource());
    if (s == null) {
      return Optional.empty();
    }
    Definition.Version v = s.definition().version(type.version());
    return v == null ? Optional.empty() : Optional.ofNullable(v.scale());
  }

  /** How a served custom resource version prints as a Table: its additionalPrinterColumns. */
  public Optional<TablePrinter> printer(ResourceType type) {
    Served s = byGroupResource.get(type.groupResource());
    return s == null ? Optional.empty() : Optional.ofNullable(s.printers().get(type.version()));
  }

  /** The {@code openAPIV3Schema} of a served custom resource version, as OpenAPI publishes it. */
  public Optional<JsonNode> openApiSchema(ResourceType type) {
    Served s = byGroupResource.get(type.groupResource());
    if (s == null) {
      return Optional.empty();
    }
    Definition.Version v = s.definition().version(type.version());
    return v == null || v.schema() == null ? Optional.empty() : Optional.of(v.schema());
  }
}
