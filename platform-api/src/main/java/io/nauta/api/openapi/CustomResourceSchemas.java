package io.nauta.api.openapi;

import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.nauta.core.registry.ResourceType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The schemas of a custom resource's version, from its definition's {@code openAPIV3Schema} as
 * Kubernetes publishes them: named by the reversed group ({@code com.example.v1.Widget}), with
 * {@code apiVersion}, {@code kind} and {@code metadata} filled in, descriptions kept (so {@code
 * kubectl explain} shows them), plus the list kind.
 */
final class CustomResourceSchemas {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private static final String API_VERSION_DESCRIPTION =
      "APIVersion defines the versioned schema of this representation of an object. Servers"
          + " should convert recognized schemas to the latest internal value, and may reject"
          + " unrecognized values. More info:"
          + " https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
  private static final String KIND_DESCRIPTION =
      "Kind is a string value representing the REST resource this object represents. Servers may"
          + " infer this from the endpoint the client submits requests to. Cannot be updated. In"
          + " CamelCase. More info:"
          + " https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";

  private CustomResourceSchemas() {}

  /** {@code example.com}, {@code v1}, {@code Widget} → {@code com.example.v1.Widget}. */
  static String name(ResourceType t, String kind) {
    List<String> parts = new ArrayList<>(List.of(t.group().split("\\.")));
    Collections.reverse(parts);
    return String.join(".", parts) + "." + t.version() + "." + kind;
  }

  static String defineKind(SchemaGenerator schemas, ResourceType t, JsonNode openApiV3Schema) {
    ObjectNode schema = openApiV3Schema instanceof ObjectNode o ? o.deepCopy() : JSON.objectNode();
    if (!schema.has("type")) {
      schema.put("type", "object");
    }
    ObjectNode properties =
        schema.get("properties") instanceof ObjectNode p ? p : schema.putObject("properties");
    properties
        .putObject("apiVersion")
        .put("type", "string")
        .put("description", API_VERSION_DESCRIPTION);
    properties.putObject("kind").put("type", "string").put("description", KIND_DESCRIPTION);
    ObjectNode metadata = JSON.objectNode();
    metadata.putArray("allOf").add(SchemaGenerator.ref(schemas.define(ObjectMeta.class)));
    metadata.put(
        "description",
        "Standard object's metadata. More info:"
            + " https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata");
    properties.set("metadata", metadata);
    String name = name(t, t.kind());
    schemas.define(name, schema);
    schemas.addKind(name, t.group(), t.version(), t.kind());
    return name;
  }

  static String defineList(SchemaGenerator schemas, ResourceType t, String kindSchema) {
    ObjectNode list = JSON.objectNode();
    list.put("description", t.listKind() + " is a list of " + t.kind());
    list.put("type", "object");
    ObjectNode properties = list.putObject("properties");
    properties
        .putObject("apiVersion")
        .put("type", "string")
        .put("description", API_VERSION_DESCRIPTION);
    ObjectNode items = properties.putObject("items");
    items.put(
        "description",
        "List of "
            + t.plural()
            + ". More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md");
    items.put("type", "array");
    items.set("items", SchemaGenerator.ref(kindSchema));
    properties.putObject("kind").put("type", "string").put("description", KIND_DESCRIPTION);
    ObjectNode metadata = properties.putObject("metadata");
    metadata.putArray("allOf").add(SchemaGenerator.ref(schemas.define(ListMeta.class)));
    ArrayNode required = list.putArray("required");
    required.add("items");
    String name = name(t, t.listKind());
    schemas.define(name, list);
    schemas.addKind(name, t.group(), t.version(), t.listKind());
    return name;
  }
}
