package io.nauta.api.customresource.schema;

import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelEvaluationException;
import io.nauta.core.errors.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Runs the compiled {@code x-kubernetes-validations} over an object, as apiextensions' {@code
 * cel.Validator}: each rule sees {@code self} (the value at its schema node) and, for transition
 * rules, {@code oldSelf} (the correlated old value: same property, same map key, or the list-type
 * map item with the same keys); a transition rule is skipped when there is no old value, unless it
 * sets {@code optionalOldSelf}. Errors carry upstream's messages. One instance per validation: it
 * caches the CEL view of each JSON node it converts. At the resource root and at embedded
 * resources, metadata shows only name and generateName.
 */
final class CelValidator {
  private static final Pattern NO_SUCH_KEY =
      Pattern.compile("key '(.*)' is not present in map\\.?");
  private static final Pattern LOCATION = Pattern.compile("^evaluation error(?: at [^:]*:\\d+)?: ");

  /** Upstream's {@code celconfig.MaxEvaluatedMessageExpressionSizeBytes}. */
  static final int MAX_MESSAGE_BYTES = 5 * 1024;

  private final Map<JsonNode, Object> converted = new IdentityHashMap<>();
  private final List<FieldError> errs;

  /** Whether rules of a value equal to its old value are skipped (upstream's ratcheting). */
  private final boolean skipUnchanged;

  CelValidator(List<FieldError> errs) {
    this(errs, false);
  }

  CelValidator(List<FieldError> errs, boolean skipUnchanged) {
    this.errs = errs;
    this.skipUnchanged = skipUnchanged;
  }

  void validate(String path, Schema s, JsonNode obj, JsonNode old, boolean isResourceRoot) {
    if (s == null || !s.hasCelRules || obj == null || obj.isNull()) {
      return;
    }
    if (skipUnchanged && obj.equals(old)) {
      return;
    }
    if (old != null && old.isNull()) {
      old = null;
    }
    expressions(path, s, obj, old, isResourceRoot);
    if (obj.isArray()) {
      array(path, s, obj, old);
    } else if (obj.isObject()) {
      object(path, s, obj, old);
    }
  }

  private void object(String path, Schema s, JsonNode obj, JsonNode old) {
    JsonNode oldMap = old != null && old.isObject() ? old : null;
    if (s.additionalProperties != null) {
      for (Map.Entry<String, JsonNode> e : obj.properties()) {
        JsonNode oldV = oldMap == null ? null : oldMap.get(e.getKey());
        validate(
            Paths.key(path, e.getKey()),
            s.additionalProperties,
            e.getValue(),
            oldV,
            s.additionalProperties.xEmbeddedResource);
      }
    }
    if (s.properties != null) {
      for (Map.Entry<String, JsonNode> e : obj.properties()) {
        Schema sub = s.properties.get(e.getKey());
        if (sub != null) {
          JsonNode oldV = oldMap == null ? null : oldMap.get(e.getKey());
          validate(Paths.child(path, e.getKey()), sub, e.getValue(), oldV, sub.xEmbeddedResource);
        }
      }
    }
  }

  private void array(String path, Schema s, JsonNode obj, JsonNode old) {
    if (s.items == null) {
      return;
    }
    Map<String, JsonNode> oldItems = new HashMap<>();
    if ("map".equals(s.xListType) && old != null && old.isArray()) {
      for (JsonNode item : old.values()) {
        if (item.isObject()) {
          oldItems.putIfAbsent(GoText.json(ListTypes.keyOf(item, s.xListMapKeys)), item);
        }
      }
    }
    for (int i = 0; i < obj.size(); i++) {
      JsonNode item = obj.get(i);
      JsonNode oldItem =
          oldItems.isEmpty() || !item.isObject()
              ? null
              : oldItems.get(GoText.json(ListTypes.keyOf(item, s.xListMapKeys)));
      validate(Paths.index(path, i), s.items, item, oldItem, s.items.xEmbeddedResource);
    }
  }

  private void expressions(
      String path, Schema s, JsonNode obj, JsonNode old, boolean isResourceRoot) {
    if (s.celRules.isEmpty()) {
      return;
    }
    Object self = isResourceRoot ? rootView(obj) : toCel(obj);
    Object oldSelf = old == null ? null : (isResourceRoot ? rootView(old) : toCel(old));
    for (CelRule rule : s.celRules) {
      boolean optionalOldSelf = Boolean.TRUE.equals(rule.source().optionalOldSelf());
      if (rule.usesOldSelf() && old == null && !optionalOldSelf) {
        continue;
      }
      Map<String, Object> vars = new HashMap<>(4);
      vars.put(CelEnvironment.SELF, self);
      if (rule.usesOldSelf()) {
        vars.put(CelEnvironment.OLD_SELF, optionalOldSelf ? Optional.ofNullable(oldSelf) : oldSelf);
      }
      Object result;
      try {
        result = rule.program().eval(vars);
      } catch (CelEvaluationException | RuntimeException e) {
        String message = upstreamMessage(e);
        String detail =
            message.startsWith("no such overload")
                ? "'"
                    + message
                    + "': call arguments did not match a supported operator, function or macro"
                    + " signature for rule: "
                    + rule.ruleErrorString()
                : message + " evaluating rule: " + rule.ruleErrorString();
        errs.add(FieldError.invalid(field(path), s.type, detail));
        continue;
      }
      if (Boolean.TRUE.equals(result)) {
        continue;
      }
      if (!(result instanceof Boolean)) {
        errs.add(
            FieldError.invalid(
                field(path),
                s.type,
                "cel expression must evaluate to a bool evaluating rule: "
                    + rule.ruleErrorString()));
        continue;
      }
      String fieldPath = rule.fieldPath().isEmpty() ? path : Paths.child(path, rule.fieldPath());
      // Upstream evaluates messageExpression with the rule's plain activation: oldSelf, when
      // there is an old value, is the value itself even for an optionalOldSelf rule.
      String detail =
          message(rule, old == null ? Map.of(CelEnvironment.SELF, self) : plain(self, oldSelf));
      // The bad value upstream reports is the schema's type ("object", "string", "integer"; ""
      // for int-or-string), never the value itself, nor left out.
      errs.add(forReason(rule.source().reason(), field(fieldPath), s.type, detail));
    }
  }

  private static Map<String, Object> plain(Object self, Object oldSelf) {
    Map<String, Object> vars = new HashMap<>(4);
    vars.put(CelEnvironment.SELF, self);
    vars.put(CelEnvironment.OLD_SELF, oldSelf);
    return vars;
  }

  /** Upstream validates from a nil path: an error at the root prints as {@code <nil>}. */
  private static String field(String path) {
    return path.isEmpty() ? "<nil>" : path;
  }

  /**
   * Upstream's detail for a failed rule: the messageExpression's result, trimmed as Go trims, if it
   * evaluates to a non-empty string of at most {@link #MAX_MESSAGE_BYTES} UTF-8 bytes without a
   * line break; else (upstream logs why) the rule's message, or {@code failed rule: <rule>}.
   */
  static String message(CelRule rule, Map<String, Object> vars) {
    if (rule.messageProgram() != null) {
      try {
        if (rule.messageProgram().eval(vars) instanceof String m) {
          String trimmed = GoText.trimSpace(m);
          if (!trimmed.isEmpty()
              && trimmed.getBytes(StandardCharsets.UTF_8).length <= MAX_MESSAGE_BYTES
              && trimmed.indexOf('\n') < 0) {
            return trimmed;
          }
        }
      } catch (CelEvaluationException | RuntimeException e) {
        // Upstream logs the failure and falls back to message, as here.
      }
    }
    return rule.messageOrDefault();
  }

  private static FieldError forReason(String reason, String path, Object value, String detail) {
    if (reason == null) {
      return FieldError.invalid(path, value, detail);
    }
    return switch (reason) {
      case "FieldValueForbidden" -> FieldError.forbidden(path, detail);
      case "FieldValueRequired" -> FieldError.required(path, detail);
      case "FieldValueDuplicate" -> FieldError.duplicate(path, value);
      default -> FieldError.invalid(path, value, detail);
    };
  }

  /** cel-java's evaluation errors in cel-go's words where upstream's messages depend on them. */
  static String upstreamMessage(Throwable e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    m = LOCATION.matcher(m).replaceFirst("");
    Matcher key = NO_SUCH_KEY.matcher(m);
    if (key.find()) {
      return "no such key: " + key.group(1);
    }
    if (m.startsWith("No matching overload")) {
      return "no such overload";
    }
    return m;
  }

  /** At the resource root, metadata shows only name and generateName, as upstream. */
  private Object rootView(JsonNode obj) {
    JsonNode meta = obj.get("metadata");
    if (!obj.isObject() || meta == null || !meta.isObject()) {
      return toCel(obj);
    }
    Map<String, Object> view = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : obj.properties()) {
      if (e.getKey().equals("metadata")) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : List.of("name", "generateName")) {
          JsonNode v = meta.get(k);
          if (v != null) {
            m.put(k, toCel(v));
          }
        }
        view.put("metadata", m);
      } else {
        view.put(e.getKey(), toCel(e.getValue()));
      }
    }
    return view;
  }

  /** JSON as CEL sees it: maps, lists, int (Long), double, string, bool, null. */
  Object toCel(JsonNode n) {
    Object cached = converted.get(n);
    if (cached != null) {
      return cached;
    }
    Object v;
    if (n == null || n.isNull() || n.isMissingNode()) {
      return NullValue.NULL_VALUE;
    } else if (n.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        m.put(e.getKey(), toCel(e.getValue()));
      }
      v = m;
    } else if (n.isArray()) {
      List<Object> l = new ArrayList<>(n.size());
      for (JsonNode item : n.values()) {
        l.add(toCel(item));
      }
      v = l;
    } else if (n.isIntegralNumber() && n.canConvertToLong()) {
      v = n.longValue();
    } else if (n.isNumber()) {
      v = n.doubleValue();
    } else if (n.isBoolean()) {
      v = n.asBoolean();
    } else {
      v = n.asString();
    }
    converted.put(n, v);
    return v;
  }
}
