package io.nauta.core.patch;

import io.nauta.core.errors.BadRequestException;
import io.nauta.core.patch.PatchSchema.FieldStrategy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' strategic merge patch ({@code application/strategic-merge-patch+json}), as the API
 * server applies it ({@code k8s.io/apimachinery/pkg/util/strategicpatch}, with parallel directive
 * lists merged and unmatched nulls ignored): a JSON merge patch whose lists follow the {@link
 * PatchSchema}, plus the directives kubectl and the client libraries send.
 *
 * <p>Where upstream leaves directives or nulls inside a value it copies in whole (a new list
 * element, a new map), this implementation strips them: the result then never carries a {@code
 * $patch} into storage. The order of merged lists follows upstream: {@code $setElementOrder} first,
 * then the order of the patch, then the order of the live object, interleaved.
 */
public final class StrategicMergePatch {

  static final String PATCH = "$patch";
  static final String RETAIN_KEYS = "$retainKeys";
  static final String SET_ELEMENT_ORDER = "$setElementOrder/";
  static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final PatchSchema schema;

  private StrategicMergePatch(PatchSchema schema) {
    this.schema = schema;
  }

  public static JsonNode apply(JsonNode target, JsonNode patch, PatchSchema schema) {
    if (patch == null || !patch.isObject()) {
      throw new BadRequestException("a strategic merge patch must be a JSON object");
    }
    ObjectNode original =
        target != null && target.isObject() ? (ObjectNode) target.deepCopy() : NODES.objectNode();
    ObjectNode merged = new StrategicMergePatch(schema).mergeObject(original, patch, List.of());
    // "$patch: delete" on the whole document leaves an empty object, as upstream does.
    return merged == null ? NODES.objectNode() : merged;
  }

  /**
   * Merges {@code patch} into {@code original}, which is ours to change (null when absent). Returns
   * null when the patch says {@code $patch: delete}.
   */
  private ObjectNode mergeObject(ObjectNode original, JsonNode patch, List<String> path) {
    JsonNode directive = patch.get(PATCH);
    if (directive != null) {
      switch (directiveName(directive, path)) {
        case "delete" -> {
          return null;
        }
        case "replace" -> {
          // Take the map literally: merge what the patch holds into nothing.
          original = NODES.objectNode();
        }
        case "merge" -> {
          // The default; accepted so an explicit marker does no harm.
        }
        default -> throw badDirective(directive, path);
      }
    }
    if (original == null) {
      original = NODES.objectNode();
    }
    applyRetainKeys(original, patch, path);

    Set<String> done = new HashSet<>();
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      if (e.getKey().startsWith(SET_ELEMENT_ORDER)) {
        String field = e.getKey().substring(SET_ELEMENT_ORDER.length());
        if (applyElementOrder(original, patch, field, e.getValue(), child(path, field))) {
          done.add(field);
        }
      }
    }
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      String key = e.getKey();
      if (!done.contains(key) && !isDirective(key)) {
        mergeField(original, key, e.getValue(), child(path, key));
      }
    }
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      if (e.getKey().startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        String field = e.getKey().substring(DELETE_FROM_PRIMITIVE_LIST.length());
        deleteFromPrimitiveList(original, field, e.getValue(), child(path, field));
      }
    }
    return original;
  }

  private void mergeField(ObjectNode original, String key, JsonNode patchValue, List<String> path) {
    if (patchValue.isNull()) {
      original.remove(key);
      return;
    }
    JsonNode current = original.get(key);
    if (patchValue.isObject()) {
      ObjectNode into = current != null && current.isObject() ? (ObjectNode) current : null;
      ObjectNode merged = mergeObject(into, patchValue, path);
      if (merged == null) {
        original.remove(key);
      } else {
        original.set(key, merged);
      }
    } else if (patchValue.isArray()) {
      ArrayNode into = current != null && current.isArray() ? (ArrayNode) current : null;
      original.set(key, mergeList(into, patchValue, path));
    } else {
      original.set(key, patchValue.deepCopy());
    }
  }

  /** A list under {@code path}: merged as the schema says, or replaced by a clean copy. */
  private ArrayNode mergeList(ArrayNode original, JsonNode patch, List<String> path) {
    FieldStrategy strategy = schema.strategy(path);
    List<JsonNode> live = original == null ? List.of() : elements(original);
    List<JsonNode> merged;
    if (!strategy.merge()) {
      merged = replaceList(patch, path);
    } else if (strategy.mergesPrimitives()) {
      merged = mergePrimitives(live, patch, path);
    } else {
      merged = mergeByKey(live, patch, strategy.mergeKey(), path);
    }
    return NODES.arrayNode().addAll(merged);
  }

  private List<JsonNode> replaceList(JsonNode patch, List<String> path) {
    List<JsonNode> result = new ArrayList<>();
    for (JsonNode element : patch.values()) {
      if (element.isObject() && element.has(PATCH)) {
        String directive = directiveName(element.get(PATCH), path);
        if (directive.equals("replace")) {
          continue;
        }
        throw new BadRequestException(
            "\"$patch: "
                + directive
                + "\" in "
                + dotted(path)
                + " needs a list with a merge key, but this list is replaced as a whole");
      }
      result.add(clean(element, path));
    }
    return result;
  }

  private List<JsonNode> mergePrimitives(List<JsonNode> live, JsonNode patch, List<String> path) {
    List<JsonNode> items = new ArrayList<>();
    for (JsonNode element : patch.values()) {
      if (element.isContainer()) {
        throw new BadRequestException(
            dotted(path) + " is a list of primitives; it cannot merge " + element);
      }
      if (JsonValues.indexOf(items, element) < 0) {
        items.add(element.deepCopy());
      }
    }
    List<JsonNode> serverOnly = new ArrayList<>();
    for (JsonNode element : live) {
      if (JsonValues.indexOf(items, element) < 0 && JsonValues.indexOf(serverOnly, element) < 0) {
        serverOnly.add(element);
      }
    }
    return interleave(serverOnly, items, live, Function.identity());
  }

  private List<JsonNode> mergeByKey(
      List<JsonNode> live, JsonNode patch, String mergeKey, List<String> path) {
    List<JsonNode> working = new ArrayList<>(live);
    List<JsonNode> patchItems = new ArrayList<>();
    boolean replace = false;
    for (JsonNode element : patch.values()) {
      if (!element.isObject()) {
        throw new BadRequestException(
            dotted(path) + " is a list of objects merged by " + mergeKey + "; got " + element);
      }
      if (element.has(PATCH)) {
        String directive = directiveName(element.get(PATCH), path);
        switch (directive) {
          case "delete" -> {
            // Every entry with the key goes, as upstream: duplicates are an error to clean up.
            JsonNode key = requireMergeKey(element, mergeKey, path);
            working.removeIf(e -> JsonValues.equal(e.get(mergeKey), key));
            continue;
          }
          case "replace" -> {
            replace = true;
            continue;
          }
          case "merge" -> {
            if (element.size() == 1) {
              continue;
            }
          }
          default -> throw badDirective(element.get(PATCH), path);
        }
      }
      requireMergeKey(element, mergeKey, path);
      patchItems.add(element);
    }
    if (replace) {
      List<JsonNode> result = new ArrayList<>();
      for (JsonNode element : patchItems) {
        result.add(clean(element, path));
      }
      return result;
    }

    List<JsonNode> serverOrder = List.copyOf(working);
    List<JsonNode> merged = new ArrayList<>(working);
    for (JsonNode element : patchItems) {
      JsonNode key = element.get(mergeKey);
      int at = indexByKey(merged, key, mergeKey);
      if (at >= 0 && merged.get(at).isObject()) {
        merged.set(at, mergeObject((ObjectNode) merged.get(at), element, path));
      } else {
        merged.add(clean(element, path));
      }
    }
    Function<JsonNode, JsonNode> identity = e -> e.get(mergeKey);
    return order(merged, patchItems, serverOrder, identity);
  }

  /**
   * Handles {@code $setElementOrder/<field>}: merges the field's patch list (if any) and then
   * orders the result. Returns false when the field's list is not merged, in which case the order
   * means nothing and the field is patched like any other.
   */
  private boolean applyElementOrder(
      ObjectNode original, JsonNode patch, String field, JsonNode order, List<String> path) {
    if (!order.isArray()) {
      throw new BadRequestException(
          SET_ELEMENT_ORDER + field + " must be a list, got " + order.getNodeType());
    }
    FieldStrategy strategy = schema.strategy(path);
    if (!strategy.merge()) {
      return false;
    }
    JsonNode patchList = patch.get(field);
    if (patchList != null && patchList.isNull()) {
      return false;
    }
    if (patchList != null && !patchList.isArray()) {
      throw new BadRequestException(
          field + " must be a list to go with " + SET_ELEMENT_ORDER + field);
    }
    JsonNode current = original.get(field);
    ArrayNode currentList = current != null && current.isArray() ? (ArrayNode) current : null;
    List<JsonNode> live = currentList == null ? List.of() : elements(currentList);
    ArrayNode merged =
        patchList == null
            ? NODES.arrayNode().addAll(live)
            : mergeList(currentList, patchList, path);

    Function<JsonNode, JsonNode> identity;
    if (strategy.mergesPrimitives()) {
      identity = Function.identity();
    } else {
      String mergeKey = strategy.mergeKey();
      for (JsonNode item : order.values()) {
        if (!item.isObject()) {
          throw new BadRequestException(
              SET_ELEMENT_ORDER + field + " must list objects with the merge key " + mergeKey);
        }
        requireMergeKey(item, mergeKey, path);
      }
      identity = e -> e.get(mergeKey);
    }
    List<JsonNode> ordered = order(elements(merged), elements((ArrayNode) order), live, identity);
    if (ordered.isEmpty() && current == null) {
      return true;
    }
    original.set(field, NODES.arrayNode().addAll(ordered));
    return true;
  }

  private void deleteFromPrimitiveList(
      ObjectNode original, String field, JsonNode toDelete, List<String> path) {
    if (!toDelete.isArray()) {
      throw new BadRequestException(
          DELETE_FROM_PRIMITIVE_LIST + field + " must be a list, got " + toDelete.getNodeType());
    }
    JsonNode current = original.get(field);
    if (current == null || !current.isArray()) {
      return;
    }
    List<JsonNode> gone = elements((ArrayNode) toDelete);
    List<JsonNode> kept = new ArrayList<>();
    for (JsonNode element : current.values()) {
      if (element.isContainer()) {
        throw new BadRequestException(
            DELETE_FROM_PRIMITIVE_LIST + field + " applies only to a list of primitives");
      }
      if (JsonValues.indexOf(gone, element) < 0) {
        kept.add(element);
      }
    }
    original.set(field, NODES.arrayNode().addAll(kept));
  }

  /**
   * {@code $retainKeys}: drop every field of {@code original} the list does not name. The patch
   * itself may only set fields the list names, or the client's intent is contradictory.
   */
  private static void applyRetainKeys(ObjectNode original, JsonNode patch, List<String> path) {
    JsonNode retain = patch.get(RETAIN_KEYS);
    if (retain == null) {
      return;
    }
    if (!retain.isArray()) {
      throw new BadRequestException(RETAIN_KEYS + " in " + dotted(path) + " must be a list");
    }
    Set<String> keep = new HashSet<>();
    for (JsonNode key : retain.values()) {
      if (!key.isString()) {
        throw new BadRequestException(
            RETAIN_KEYS + " in " + dotted(path) + " must list field names, got " + key);
      }
      keep.add(key.asString());
    }
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      if (!isDirective(e.getKey()) && !e.getValue().isNull() && !keep.contains(e.getKey())) {
        throw new BadRequestException(
            "the patch sets "
                + e.getKey()
                + " in "
                + dotted(path)
                + ", which its "
                + RETAIN_KEYS
                + " list does not name");
      }
    }
    original.retain(keep);
  }

  /**
   * Orders a merged list as upstream's {@code normalizeElementOrder}: the items the {@code order}
   * list names follow it, the others keep their live order, and the two interleave by live
   * position.
   */
  private static List<JsonNode> order(
      List<JsonNode> merged,
      List<JsonNode> order,
      List<JsonNode> serverOrder,
      Function<JsonNode, JsonNode> identity) {
    List<JsonNode> named = new ArrayList<>();
    List<JsonNode> serverOnly = new ArrayList<>();
    for (JsonNode item : merged) {
      (indexOf(order, item, identity) >= 0 ? named : serverOnly).add(item);
    }
    named.sort(Comparator.comparingInt(item -> indexOf(order, item, identity)));
    serverOnly.sort(Comparator.comparingInt(item -> indexOf(serverOrder, item, identity)));
    return interleave(serverOnly, named, serverOrder, identity);
  }

  /**
   * Upstream's {@code mergeSortedSlice}: walks both lists, taking a server-only item first only
   * when both items are live and it stood earlier; new items therefore lead.
   */
  private static List<JsonNode> interleave(
      List<JsonNode> serverOnly,
      List<JsonNode> fromPatch,
      List<JsonNode> serverOrder,
      Function<JsonNode, JsonNode> identity) {
    List<JsonNode> out = new ArrayList<>(serverOnly.size() + fromPatch.size());
    int i = 0;
    int j = 0;
    while (i < serverOnly.size() || j < fromPatch.size()) {
      if (j >= fromPatch.size()) {
        out.add(serverOnly.get(i++));
      } else if (i >= serverOnly.size()) {
        out.add(fromPatch.get(j++));
      } else {
        int left = indexOf(serverOrder, serverOnly.get(i), identity);
        int right = indexOf(serverOrder, fromPatch.get(j), identity);
        if (left >= 0 && right >= 0 && left < right) {
          out.add(serverOnly.get(i++));
        } else {
          out.add(fromPatch.get(j++));
        }
      }
    }
    return out;
  }

  private static int indexOf(
      List<JsonNode> list, JsonNode item, Function<JsonNode, JsonNode> identity) {
    JsonNode id = identity.apply(item);
    for (int i = 0; i < list.size(); i++) {
      if (JsonValues.equal(identity.apply(list.get(i)), id)) {
        return i;
      }
    }
    return -1;
  }

  private static int indexByKey(List<JsonNode> list, JsonNode key, String mergeKey) {
    for (int i = 0; i < list.size(); i++) {
      if (JsonValues.equal(list.get(i).get(mergeKey), key)) {
        return i;
      }
    }
    return -1;
  }

  /** A patch value going where nothing was: merged into emptiness, so directives never land. */
  private JsonNode clean(JsonNode value, List<String> path) {
    if (value.isObject()) {
      ObjectNode merged = mergeObject(null, value, path);
      return merged == null ? NODES.objectNode() : merged;
    }
    if (value.isArray()) {
      return mergeList(null, value, path);
    }
    return value.deepCopy();
  }

  private static JsonNode requireMergeKey(JsonNode element, String mergeKey, List<String> path) {
    JsonNode key = element.get(mergeKey);
    if (key == null || key.isNull()) {
      throw new BadRequestException(
          "an element of "
              + dotted(path)
              + " does not contain declared merge key: "
              + mergeKey
              + ": "
              + element);
    }
    return key;
  }

  private static String directiveName(JsonNode directive, List<String> path) {
    if (!directive.isString()) {
      throw badDirective(directive, path);
    }
    return directive.asString();
  }

  private static BadRequestException badDirective(JsonNode directive, List<String> path) {
    return new BadRequestException(
        "unknown patch type: "
            + directive
            + " in "
            + dotted(path)
            + "; $patch must be replace, delete or merge");
  }

  private static boolean isDirective(String key) {
    return key.equals(PATCH)
        || key.equals(RETAIN_KEYS)
        || key.startsWith(SET_ELEMENT_ORDER)
        || key.startsWith(DELETE_FROM_PRIMITIVE_LIST);
  }

  private static List<JsonNode> elements(ArrayNode array) {
    return new ArrayList<>(array.values());
  }

  private static List<String> child(List<String> path, String field) {
    List<String> out = new ArrayList<>(path.size() + 1);
    out.addAll(path);
    out.add(field);
    return List.copyOf(out);
  }

  private static String dotted(List<String> path) {
    return path.isEmpty() ? "the object" : String.join(".", path);
  }
}
