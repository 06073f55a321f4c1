package io.nauta.core.patch;

import io.nauta.core.errors.BadRequestException;
import io.nauta.core.errors.UnprocessableEntityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * RFC 6902 JSON Patch ({@code application/json-patch+json}).
 *
 * <p>The whole patch is parsed before anything is applied, so a malformed document fails with 400
 * no matter where the bad operation sits; an operation that is well formed but does not fit the
 * object fails with 422, and names the operation and path, as the Kubernetes API server does.
 * Operations run on a deep copy, so a failure half-way leaves the caller's object untouched.
 */
public final class JsonPatch {

  private JsonPatch() {}

  public static JsonNode apply(JsonNode target, JsonNode patch) {
    List<Operation> operations = parse(patch);
    JsonNode doc = target == null ? null : target.deepCopy();
    for (Operation op : operations) {
      doc = op.applyTo(doc);
    }
    return doc;
  }

  private static List<Operation> parse(JsonNode patch) {
    if (patch == null || !patch.isArray()) {
      throw new BadRequestException("a JSON patch must be a JSON array of operations");
    }
    List<Operation> operations = new ArrayList<>(patch.size());
    int i = 0;
    for (JsonNode node : patch.values()) {
      operations.add(Operation.parse(node, i++));
    }
    return operations;
  }

  private enum Kind {
    ADD,
    REMOVE,
    REPLACE,
    MOVE,
    COPY,
    TEST;

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    boolean needsValue() {
      return this == ADD || this == REPLACE || this == TEST;
    }

    boolean needsFrom() {
      return this == MOVE || this == COPY;
    }
  }

  private record Operation(Kind kind, JsonPointer path, JsonPointer from, JsonNode value) {

    static Operation parse(JsonNode node, int index) {
      if (node == null || !node.isObject()) {
        throw new BadRequestException("JSON patch operation " + index + " is not a JSON object");
      }
      String opName = requiredString(node, "op", index);
      Kind kind = null;
      for (Kind k : Kind.values()) {
        if (k.wireName().equals(opName)) {
          kind = k;
        }
      }
      if (kind == null) {
        throw new BadRequestException(
            "JSON patch operation " + index + " has an unknown op \"" + opName + "\"");
      }
      JsonPointer path = JsonPointer.parse(requiredString(node, "path", index));
      JsonPointer from =
          kind.needsFrom() ? JsonPointer.parse(requiredString(node, "from", index)) : null;
      JsonNode value = node.get("value");
      if (kind.needsValue() && value == null) {
        throw new BadRequestException(
            kind.wireName() + " operation " + index + " is missing the \"value\" member");
      }
      return new Operation(kind, path, from, value);
    }

    private static String requiredString(JsonNode node, String member, int index) {
      JsonNode v = node.get(member);
      if (v == null || !v.isString()) {
        throw new BadRequestException(
            "JSON patch operation " + index + " is missing the string member \"" + member + "\"");
      }
      return v.asString();
    }

    JsonNode applyTo(JsonNode doc) {
      return switch (kind) {
        case ADD -> add(doc, path, value.deepCopy());
        case REMOVE -> {
          remove(doc, path);
          yield doc;
        }
        case REPLACE -> replace(doc);
        case MOVE -> move(doc);
        case COPY -> add(doc, path, existing(doc, from, "from path").deepCopy());
        case TEST -> test(doc);
      };
    }

    private JsonNode replace(JsonNode doc) {
      if (path.isRoot()) {
        return value.deepCopy();
      }
      existing(doc, path, "path");
      JsonNode parent = find(doc, path.parent());
      if (parent instanceof ObjectNode object) {
        object.set(path.last(), value.deepCopy());
      } else {
        ((ArrayNode) parent).set(Integer.parseInt(path.last()), value.deepCopy());
      }
      return doc;
    }

    private JsonNode move(JsonNode doc) {
      if (path.isInside(from)) {
        throw fail("cannot move " + from + " into its own child " + path);
      }
      JsonNode moved = existing(doc, from, "from path");
      if (from.equals(path)) {
        return doc;
      }
      if (from.isRoot()) {
        return moved;
      }
      remove(doc, from);
      return add(doc, path, moved);
    }

    private JsonNode test(JsonNode doc) {
      JsonNode actual = existing(doc, path, "path");
      if (!JsonValues.equal(actual, value)) {
        throw new UnprocessableEntityException("testing value " + path + " failed: test failed");
      }
      return doc;
    }

    private JsonNode add(JsonNode doc, JsonPointer at, JsonNode newValue) {
      if (at.isRoot()) {
        return newValue;
      }
      JsonNode parent = find(doc, at.parent());
      if (parent instanceof ObjectNode object) {
        object.set(at.last(), newValue);
      } else if (parent instanceof ArrayNode array) {
        String token = at.last();
        if (token.equals("-")) {
          array.add(newValue);
        } else {
          int i = arrayIndex(token, at);
          if (i > array.size()) {
            throw fail("index out of bounds: " + at);
          }
          array.insert(i, newValue);
        }
      } else {
        throw fail("doc is missing path: " + at);
      }
      return doc;
    }

    private void remove(JsonNode doc, JsonPointer at) {
      if (at.isRoot()) {
        throw fail("cannot remove the whole document");
      }
      existing(doc, at, "path");
      JsonNode parent = find(doc, at.parent());
      if (parent instanceof ObjectNode object) {
        object.remove(at.last());
      } else {
        ((ArrayNode) parent).remove(Integer.parseInt(at.last()));
      }
    }

    private JsonNode existing(JsonNode doc, JsonPointer at, String what) {
      JsonNode found = find(doc, at);
      if (found == null) {
        throw fail("doc is missing " + what + ": " + at);
      }
      return found;
    }

    /** The node {@code at} names, or null; an index that is not a number is a 422 of its own. */
    private JsonNode find(JsonNode doc, JsonPointer at) {
      JsonNode node = doc;
      for (String token : at.tokens()) {
        if (node == null) {
          return null;
        }
        if (node.isObject()) {
          node = node.get(token);
        } else if (node.isArray()) {
          if (token.equals("-")) {
            return null;
          }
          int i = arrayIndex(token, at);
          node = i < node.size() ? node.get(i) : null;
        } else {
          return null;
        }
      }
      return node;
    }

    /** RFC 6901: an array index is "0" or digits without a leading zero. */
    private int arrayIndex(String token, JsonPointer at) {
      boolean digits = !token.isEmpty() && token.chars().allMatch(c -> c >= '0' && c <= '9');
      if (!digits || (token.length() > 1 && token.charAt(0) == '0')) {
        throw fail("invalid array index \"" + token + "\" in " + at);
      }
      try {
        return Integer.parseInt(token);
      } catch (NumberFormatException tooBig) {
        throw fail("index out of bounds: " + at);
      }
    }

    private UnprocessableEntityException fail(String why) {
      return new UnprocessableEntityException(
          kind.wireName() + " operation does not apply: " + why);
    }
  }
}
