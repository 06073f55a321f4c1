package io.nauta.federation.overrides;

import io.nauta.core.errors.ApiException;
import io.nauta.core.patch.JsonPatch;
import io.nauta.federation.api.CommandArgsOverrider;
import io.nauta.federation.api.ImageOverrider;
import io.nauta.federation.api.LabelAnnotationOverrider;
import io.nauta.federation.api.Overriders;
import io.nauta.federation.api.PlaintextOverrider;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies one rule's {@link Overriders} to an object, in Karmada's order ({@code
 * applyPolicyOverriders}): image, command, args, labels, annotations, then plaintext. Each
 * overrider becomes JSON patch operations applied at once, so a path that does not fit the object
 * fails the whole override (Karmada's json-patch does the same) and the caller's object is never
 * touched: the result is a new object.
 */
public final class Overrides {

  static final String ADD = "add";
  static final String REMOVE = "remove";
  static final String REPLACE = "replace";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String POD_SPEC = "/spec";
  private static final String POD_TEMPLATE_SPEC = "/spec/template/spec";
  private static final Set<String> TEMPLATED_KINDS =
      Set.of("ReplicaSet", "Deployment", "DaemonSet", "StatefulSet", "Job");

  private Overrides() {}

  /**
   * The object with {@code overriders} applied.
   *
   * @throws OverrideException when an overrider does not fit the object
   */
  public static ObjectNode apply(ObjectNode object, Overriders overriders) {
    JsonNode doc = object;
    if (overriders == null) {
      return object.deepCopy();
    }
    for (ImageOverrider o : list(overriders.imageOverrider())) {
      doc = patch(doc, imagePatches(doc, o), "imageOverrider");
    }
    for (CommandArgsOverrider o : list(overriders.commandOverrider())) {
      doc = patch(doc, commandArgsPatches(doc, "command", o), "commandOverrider");
    }
    for (CommandArgsOverrider o : list(overriders.argsOverrider())) {
      doc = patch(doc, commandArgsPatches(doc, "args", o), "argsOverrider");
    }
    for (LabelAnnotationOverrider o : list(overriders.labelsOverrider())) {
      doc = labelAnnotation(doc, "labels", o);
    }
    for (LabelAnnotationOverrider o : list(overriders.annotationsOverrider())) {
      doc = labelAnnotation(doc, "annotations", o);
    }
    ArrayNode plaintext = JSON.arrayNode();
    for (PlaintextOverrider o : list(overriders.plaintext())) {
      plaintext.add(op(o.operator(), o.path(), o.value()));
    }
    doc = patch(doc, plaintext, "plaintext");
    return doc == object ? object.deepCopy() : (ObjectNode) doc;
  }

  // ---- image

  static ArrayNode imagePatches(JsonNode doc, ImageOverrider o) {
    ArrayNode patches = JSON.arrayNode();
    if (o.predicate() != null) {
      String path = o.predicate().path();
      JsonNode image = at(doc, path);
      if (image == null || !image.isString()) {
        throw new OverrideException(
            "failed to obtain imageValue with predicate path(" + path + "): not a string");
      }
      patches.add(op(REPLACE, path, JSON.stringNode(overrideImage(image.asString(), o))));
      return patches;
    }
    String prefix = podSpecPath(doc);
    JsonNode containers = containers(doc, prefix);
    for (int i = 0; i < containers.size(); i++) {
      JsonNode image = containers.get(i).get("image");
      String current = image == null || !image.isString() ? "" : image.asString();
      patches.add(
          op(
              REPLACE,
              prefix + "/containers/" + i + "/image",
              JSON.stringNode(overrideImage(current, o))));
    }
    return patches;
  }

  static String overrideImage(String image, ImageOverrider o) {
    ImageComponents c;
    try {
      c = ImageComponents.parse(image);
    } catch (IllegalArgumentException e) {
      throw new OverrideException(
          "failed to parse image value(" + image + "), error: " + e.getMessage());
    }
    String value = o.value() == null ? "" : o.value();
    String operator = o.operator();
    switch (String.valueOf(o.component())) {
      case "Registry" -> {
        switch (operator) {
          case ADD -> c.hostname(c.hostname() + value);
          case REPLACE -> c.hostname(value);
          case REMOVE -> c.hostname("");
          default -> throw unsupported(operator);
        }
      }
      case "Repository" -> {
        switch (operator) {
          case ADD -> c.repository(c.repository() + value);
          case REPLACE -> c.repository(value);
          case REMOVE -> c.repository("");
          default -> throw unsupported(operator);
        }
      }
      case "Tag" -> {
        switch (operator) {
          case ADD -> c.tagOrDigest(c.tagOrDigest() + value);
          case REPLACE -> c.tagOrDigest(value);
          case REMOVE -> c.removeTagOrDigest();
          default -> throw unsupported(operator);
        }
      }
      default -> throw new OverrideException("unsupported image component(" + o.component() + ")");
    }
    return c.toString();
  }

  /** Where the kind keeps its pod spec, or null for kinds Karmada has no default path for. */
  private static String podSpecPath(JsonNode doc) {
    String kind = doc.path("kind").asString("");
    if (kind.equals("Pod")) {
      return POD_SPEC;
    }
    return TEMPLATED_KINDS.contains(kind) ? POD_TEMPLATE_SPEC : null;
  }

  /** The containers under {@code prefix}, or an empty array when there are none. */
  private static JsonNode containers(JsonNode doc, String prefix) {
    JsonNode containers = prefix == null ? null : at(doc, prefix + "/containers");
    return containers != null && containers.isArray() ? containers : JSON.arrayNode();
  }

  // ---- command and args

  static ArrayNode commandArgsPatches(JsonNode doc, String target, CommandArgsOverrider o) {
    ArrayNode patches = JSON.arrayNode();
    String prefix = podSpecPath(doc);
    JsonNode containers = containers(doc, prefix);
    List<String> values = list(o.value());
    for (int i = 0; i < containers.size(); i++) {
      JsonNode container = containers.get(i);
      if (!container.path("name").asString("").equals(o.containerName())) {
        continue;
      }
      String path = prefix + "/containers/" + i + "/" + target;
      JsonNode existing = container.get(target);
      List<String> current = new ArrayList<>();
      if (existing != null && existing.isArray()) {
        existing.values().forEach(v -> current.add(v.asString()));
      }
      List<String> result =
          switch (o.operator()) {
            case ADD -> {
              List<String> added = new ArrayList<>(current);
              added.addAll(values);
              yield added;
            }
            case REMOVE -> {
              Set<String> removed = new LinkedHashSet<>(values);
              yield current.stream().filter(v -> !removed.contains(v)).toList();
            }
            // Karmada ignores other operators for command and args.
            default -> current;
          };
      ArrayNode array = JSON.arrayNode();
      result.forEach(array::add);
      patches.add(op(existing == null || existing.isNull() ? ADD : REPLACE, path, array));
    }
    return patches;
  }

  // ---- labels and annotations

  static JsonNode labelAnnotation(JsonNode doc, String field, LabelAnnotationOverrider o) {
    Map<String, String> value = o.value() == null ? Map.of() : o.value();
    if (value.isEmpty()) {
      return doc;
    }
    String operator = o.operator();
    JsonNode map = doc.path("metadata").get(field);
    boolean exists = map != null && map.isObject();
    JsonNode base = doc;
    ArrayNode patches = JSON.arrayNode();
    if (operator.equals(ADD) && !exists) {
      ObjectNode copy = ((ObjectNode) doc).deepCopy();
      JsonNode metadata = copy.get("metadata");
      (metadata instanceof ObjectNode m ? m : copy.putObject("metadata")).putObject(field);
      base = copy;
    }
    for (Map.Entry<String, String> e : value.entrySet()) {
      if (!operator.equals(ADD) && !(exists && map.has(e.getKey()))) {
        continue;
      }
      // '/' in a key is escaped as JSON pointer requires; '~' is not valid in a label key.
      String path = "/metadata/" + field + "/" + e.getKey().replace("/", "~1");
      patches.add(op(operator, path, JSON.stringNode(e.getValue())));
    }
    return patch(base, patches, field + "Overrider");
  }

  // ---- helpers

  private static ObjectNode op(String operator, String path, JsonNode value) {
    ObjectNode op = JSON.objectNode();
    op.put("op", operator);
    op.put("path", path);
    if (value != null && !value.isMissingNode() && !operator.equals(REMOVE)) {
      op.set("value", value);
    }
    return op;
  }

  private static JsonNode patch(JsonNode doc, ArrayNode patches, String overrider) {
    if (patches.isEmpty()) {
      return doc;
    }
    try {
      return JsonPatch.apply(doc, patches);
    } catch (ApiException e) {
      throw new OverrideException(overrider + ": " + e.getMessage());
    }
  }

  private static JsonNode at(JsonNode doc, String pointer) {
    JsonNode node = doc.at(pointer);
    return node.isMissingNode() ? null : node;
  }

  private static OverrideException unsupported(String operator) {
    return new OverrideException("unsupported operator(" + operator + ")");
  }

  private static <T> List<T> list(List<T> list) {
    return list == null ? List.of() : list;
  }
}
