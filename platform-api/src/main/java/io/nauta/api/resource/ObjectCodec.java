package io.nauta.api.resource;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.nauta.api.storage.RedisObjectStore;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.registry.ResourceType;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns request bodies into JSON trees and trees into the fabric8 model (to check types and
 * validate) and into the JSON that is stored.
 */
@Component
public class ObjectCodec {

  private final JsonMapper mapper;

  public ObjectCodec(JsonMapper mapper) {
    this.mapper = mapper;
  }

  public JsonMapper mapper() {
    return mapper;
  }

  /** Parses a request body; anything but a JSON object is a 400, as in Kubernetes. */
  public ObjectNode parseObject(byte[] body) {
    JsonNode node = parse(body);
    if (!(node instanceof ObjectNode o)) {
      throw new BadRequestException("the request body must be a JSON object");
    }
    return o;
  }

  public JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      throw new BadRequestException("the request body is empty");
    }
    try {
      return mapper.readTree(body);
    } catch (JacksonException e) {
      throw new BadRequestException("json parse error: " + e.getOriginalMessage());
    }
  }

  public ObjectNode parseStored(String json) {
    return (ObjectNode) mapper.readTree(json);
  }

  /**
   * Decodes into the kind's model class; a field of the wrong type is a 400 with Kubernetes'
   * wording ("Pod in version "v1" cannot be handled as a Pod: …").
   */
  @SuppressWarnings("unchecked")
  public <T extends HasMetadata> T toModel(ObjectNode obj, ResourceType type) {
    try {
      return (T) mapper.treeToValue(obj, type.modelClass());
    } catch (JacksonException e) {
      throw cannotHandle(type, e.getOriginalMessage());
    }
  }

  /**
   * {@link #toModel}, for validation: each {@code metadata.managedFields} entry is decoded without
   * its {@code fieldsV1}, which validation never reads and which is, for a defaulted object, about
   * as large as the rest of it (the fabric8 model keeps it as nested maps). Go's FieldsV1 accepts
   * any JSON there, so nothing a client could be refused for is skipped. {@code obj} is not
   * changed: the copy shares every node but the root, metadata and the entries.
   */
  public <T extends HasMetadata> T toModelForValidation(ObjectNode obj, ResourceType type) {
    return toModel(withoutFieldSets(obj), type);
  }

  static ObjectNode withoutFieldSets(ObjectNode obj) {
    if (!(obj.get("metadata") instanceof ObjectNode meta)
        || !(meta.get("managedFields") instanceof ArrayNode entries)) {
      return obj;
    }
    ArrayNode stripped = entries.arrayNode(entries.size());
    for (JsonNode e : entries.values()) {
      if (e instanceof ObjectNode o && o.has("fieldsV1")) {
        ObjectNode copy = o.objectNode();
        o.properties().forEach(p -> copy.set(p.getKey(), p.getValue()));
        copy.remove("fieldsV1");
        stripped.add(copy);
      } else {
        stripped.add(e);
      }
    }
    ObjectNode metaCopy = meta.objectNode();
    meta.properties().forEach(p -> metaCopy.set(p.getKey(), p.getValue()));
    metaCopy.set("managedFields", stripped);
    ObjectNode root = obj.objectNode();
    obj.properties().forEach(p -> root.set(p.getKey(), p.getValue()));
    root.set("metadata", metaCopy);
    return root;
  }

  /** Kubernetes' 400 for a body that does not decode as its kind. */
  public static BadRequestException cannotHandle(ResourceType type, String why) {
    return new BadRequestException(
        type.kind()
            + " in version \""
            + type.version()
            + "\" cannot be handled as a "
            + type.kind()
            + ": "
            + why);
  }

  /** The JSON to store: resourceVersion left as the placeholder the write script fills in. */
  public String toStorage(ObjectNode obj) {
    Meta.of(obj).put("resourceVersion", RedisObjectStore.RV_PLACEHOLDER);
    return mapper.writeValueAsString(obj);
  }

  /** The stored JSON as the write left it: the placeholder replaced by the new resourceVersion. */
  public static String withResourceVersion(String storageJson, long rv) {
    return storageJson.replace(RedisObjectStore.RV_PLACEHOLDER, Long.toString(rv));
  }

  public String write(JsonNode node) {
    return mapper.writeValueAsString(node);
  }
}
