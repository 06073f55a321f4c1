package io.nauta.core.managedfields;

import io.nauta.core.managedfields.FieldSchema.ListType;
import io.nauta.core.patch.JsonValues;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The walks of structured-merge-diff's {@code typed} package over JSON under a {@link FieldSchema}:
 * the field set of a value ({@code ToFieldSet}), the comparison of two values ({@code Compare}),
 * the merge of an applied configuration into a live object ({@code Merge}) and the removal of a set
 * of fields ({@code RemoveItems}).
 */
final class TypedValues {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private TypedValues() {}

  /** Added, modified and removed fields between two values, as upstream's {@code Comparison}. */
  record Comparison(FieldSet added, FieldSet modified, FieldSet removed) {}

  // ---- ToFieldSet

  static FieldSet fieldSet(JsonNode value, FieldSchema schema) {
    FieldSet set = FieldSet.empty();
    if (value != null) {
      toSet(value, schema, new ArrayList<>(), new ArrayList<>(), set);
    }
    return set;
  }

  private static void toSet(
      JsonNode v, FieldSchema schema, List<String> fp, List<PathElement> ep, FieldSet set) {
    if (v.isObject()) {
      if (!ep.isEmpty() && schema.atomicMap(fp)) {
        set.insert(ep);
        return;
      }
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        ep.add(PathElement.field(e.getKey()));
        JsonNode c = e.getValue();
        if (c.isNull() || (c.isObject() && c.isEmpty())) {
          set.insert(ep);
        } else {
          fp.add(e.getKey());
          toSet(c, schema, fp, ep, set);
          fp.remove(fp.size() - 1);
        }
        ep.remove(ep.size() - 1);
      }
    } else if (v.isArray()) {
      ListType lt = schema.listType(fp);
      if (lt.kind() == ListType.Kind.ATOMIC) {
        set.insert(ep);
        return;
      }
      for (JsonNode item : v.values()) {
        ep.add(itemElement(lt, item));
        set.insert(ep);
        if (item.isObject()) {
          toSet(item, schema, fp, ep, set);
        }
        ep.remove(ep.size() - 1);
      }
    } else if (!ep.isEmpty()) {
      set.insert(ep);
    }
  }

  // ---- Validation of an applied configuration

  /**
   * What upstream's typed conversion of an applied configuration refuses: an associative list
   * (list-map or set) naming one item twice, as {@code <path>: duplicate entries for key
   * [name="x"]}.
   */
  static List<String> duplicates(JsonNode config, FieldSchema schema) {
    List<String> errors = new ArrayList<>();
    duplicates(config, schema, new ArrayList<>(), new ArrayList<>(), errors);
    return errors;
  }

  private static void duplicates(
      JsonNode v, FieldSchema schema, List<String> fp, List<PathElement> ep, List<String> errors) {
    if (v.isObject()) {
      if (!ep.isEmpty() && schema.atomicMap(fp)) {
        return;
      }
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        if (e.getValue().isContainer()) {
          ep.add(PathElement.field(e.getKey()));
          fp.add(e.getKey());
          duplicates(e.getValue(), schema, fp, ep, errors);
          fp.remove(fp.size() - 1);
          ep.remove(ep.size() - 1);
        }
      }
    } else if (v.isArray()) {
      ListType lt = schema.listType(fp);
      if (lt.kind() == ListType.Kind.ATOMIC) {
        return;
      }
      Set<PathElement> seen = new HashSet<>();
      for (JsonNode item : v.values()) {
        PathElement pe = itemElement(lt, item);
        if (!seen.add(pe)) {
          errors.add(FieldSet.describe(ep) + ": duplicate entries for key " + pe);
        }
        if (item.isObject()) {
          ep.add(pe);
          duplicates(item, schema, fp, ep, errors);
          ep.remove(ep.size() - 1);
        }
      }
    }
  }

  /** How an item of an associative list is named: by its value in a set, by its keys in a map. */
  static PathElement itemElement(ListType lt, JsonNode item) {
    if (lt.kind() == ListType.Kind.SET || !item.isObject()) {
      return PathElement.value(item);
    }
    ObjectNode key = NODES.objectNode();
    for (String k : lt.keys()) {
      JsonNode kv = item.get(k);
      if (kv == null || kv.isNull()) {
        kv = lt.keyDefaults().get(k);
      }
      if (kv != null) {
        key.set(k, kv);
      }
    }
    return PathElement.key(key);
  }

  // ---- Compare

  static Comparison compare(JsonNode lhs, JsonNode rhs, FieldSchema schema) {
    Comparison c = new Comparison(FieldSet.empty(), FieldSet.empty(), FieldSet.empty());
    compare(lhs, rhs, schema, new ArrayList<>(), new ArrayList<>(), c);
    return c;
  }

  private static void compare(
      JsonNode l,
      JsonNode r,
      FieldSchema schema,
      List<String> fp,
      List<PathElement> ep,
      Comparison c) {
    if (l == null && r == null) {
      return;
    }
    if (l != null && r != null && l.isContainer() && l.equals(r)) {
      // Nothing under here changed (an exact equality, stricter than a leaf's): most of an update.
      return;
    }
    JsonNode shape = r != null ? r : l;
    boolean sameShape =
        l == null
            || r == null
            || (l.isObject() && r.isObject())
            || (l.isArray() && r.isArray())
            || (!l.isContainer() && !r.isContainer());
    if (!sameShape || !shape.isContainer()) {
      leaf(l, r, ep, c);
      return;
    }
    if (shape.isObject()) {
      if (!ep.isEmpty() && schema.atomicMap(fp)) {
        leaf(l, r, ep, c);
        return;
      }
      Set<String> keys = new java.util.LinkedHashSet<>();
      if (l != null) {
        l.propertyNames().forEach(keys::add);
      }
      if (r != null) {
        r.propertyNames().forEach(keys::add);
      }
      for (String k : keys) {
        ep.add(PathElement.field(k));
        fp.add(k);
        compare(l == null ? null : l.get(k), r == null ? null : r.get(k), schema, fp, ep, c);
        fp.remove(fp.size() - 1);
        ep.remove(ep.size() - 1);
      }
    } else {
      ListType lt = schema.listType(fp);
      if (lt.kind() == ListType.Kind.ATOMIC) {
        leaf(l, r, ep, c);
        return;
      }
      Map<PathElement, JsonNode> li = items(lt, l);
      Map<PathElement, JsonNode> ri = items(lt, r);
      Set<PathElement> all = new java.util.LinkedHashSet<>(li.keySet());
      all.addAll(ri.keySet());
      for (PathElement pe : all) {
        ep.add(pe);
        compare(li.get(pe), ri.get(pe), schema, fp, ep, c);
        ep.remove(ep.size() - 1);
      }
    }
    if (!ep.isEmpty()) {
      if (l == null) {
        c.added().insert(ep);
      } else if (r == null) {
        c.removed().insert(ep);
      }
    }
  }

  private static void leaf(JsonNode l, JsonNode r, List<PathElement> ep, Comparison c) {
    if (ep.isEmpty()) {
      return;
    }
    if (l == null) {
      c.added().insert(ep);
    } else if (r == null) {
      c.removed().insert(ep);
    } else if (!JsonValues.equal(l, r)) {
      c.modified().insert(ep);
    }
  }

  private static Map<PathElement, JsonNode> items(ListType lt, JsonNode list) {
    Map<PathElement, JsonNode> m = new LinkedHashMap<>();
    if (list != null && list.isArray()) {
      for (JsonNode item : list.values()) {
        m.putIfAbsent(itemElement(lt, item), item);
      }
    }
    return m;
  }

  // ---- Merge

  /** The applied configuration {@code rhs} merged into {@code lhs}: rhs wins where both have. */
  static JsonNode merge(JsonNode l, JsonNode r, FieldSchema schema) {
    return merge(l, r, schema, new ArrayList<>(), true);
  }

  private static JsonNode merge(
      JsonNode l, JsonNode r, FieldSchema schema, List<String> fp, boolean root) {
    if (r == null) {
      return l == null ? null : l.deepCopy();
    }
    if (l == null) {
      return r.deepCopy();
    }
    if (l.isObject() && r.isObject() && (root || !schema.atomicMap(fp))) {
      ObjectNode out = ((ObjectNode) l).deepCopy();
      for (Map.Entry<String, JsonNode> e : r.properties()) {
        out.set(
            e.getKey(),
            merge(
                l.get(e.getKey()), e.getValue(), schema, FieldSchema.child(fp, e.getKey()), false));
      }
      return out;
    }
    if (l.isArray() && r.isArray()) {
      ListType lt = schema.listType(fp);
      if (lt.kind() != ListType.Kind.ATOMIC) {
        return mergeList((ArrayNode) l, (ArrayNode) r, lt, schema, fp);
      }
    }
    return r.deepCopy();
  }

  /**
   * Upstream's order: items of the live list keep their place, items of the configuration follow
   * the configuration's order, and shared items are merged where the configuration puts them.
   */
  private static JsonNode mergeList(
      ArrayNode lhs, ArrayNode rhs, ListType lt, FieldSchema schema, List<String> fp) {
    List<PathElement> lpe = new ArrayList<>();
    Map<PathElement, JsonNode> lv = new LinkedHashMap<>();
    for (JsonNode item : lhs.values()) {
      PathElement pe = itemElement(lt, item);
      lpe.add(pe);
      lv.putIfAbsent(pe, item);
    }
    List<PathElement> rpe = new ArrayList<>();
    Map<PathElement, JsonNode> rv = new LinkedHashMap<>();
    for (JsonNode item : rhs.values()) {
      PathElement pe = itemElement(lt, item);
      if (rv.putIfAbsent(pe, item) == null) {
        rpe.add(pe);
      }
    }
    List<PathElement> shared = new ArrayList<>();
    for (PathElement pe : rpe) {
      if (lv.containsKey(pe)) {
        shared.add(pe);
      }
    }
    int si = 0;
    PathElement nextShared = si < shared.size() ? shared.get(si++) : null;
    Set<PathElement> merged = new HashSet<>();
    ArrayNode out = NODES.arrayNode();
    int li = 0;
    int ri = 0;
    while (li < lpe.size() || ri < rpe.size()) {
      if (li < lpe.size() && ri < rpe.size()) {
        PathElement pe = lpe.get(li);
        if (pe.equals(rpe.get(ri))) {
          merged.add(pe);
          add(out, merge(lv.get(pe), rv.get(pe), schema, fp, false));
          li++;
          ri++;
          nextShared = si < shared.size() ? shared.get(si++) : null;
          continue;
        }
        if (rv.containsKey(pe) && nextShared != null && !nextShared.equals(pe)) {
          li++;
          continue;
        }
      }
      if (li < lpe.size()) {
        PathElement pe = lpe.get(li);
        if (!rv.containsKey(pe)) {
          add(out, merge(lhs.get(li), null, schema, fp, false));
          li++;
          continue;
        } else if (merged.contains(pe)) {
          li++;
        }
      }
      if (ri < rpe.size()) {
        PathElement pe = rpe.get(ri);
        merged.add(pe);
        add(out, merge(lv.get(pe), rv.get(pe), schema, fp, false));
        ri++;
        if (nextShared != null && nextShared.equals(pe)) {
          nextShared = si < shared.size() ? shared.get(si++) : null;
        }
      }
    }
    return out;
  }

  private static void add(ArrayNode out, JsonNode v) {
    if (v != null) {
      out.add(v);
    }
  }

  // ---- RemoveItems

  /** {@code value} without the fields of {@code toRemove}; containers left empty go too. */
  static JsonNode removeItems(JsonNode value, FieldSet toRemove, FieldSchema schema) {
    JsonNode out = remove(value, toRemove, schema, new ArrayList<>(), true);
    return out == null ? NODES.objectNode() : out;
  }

  private static JsonNode remove(
      JsonNode v, FieldSet toRemove, FieldSchema schema, List<String> fp, boolean root) {
    if (v.isObject()) {
      if (v.isEmpty()) {
        return null;
      }
      if (!root && schema.atomicMap(fp)) {
        return v;
      }
      ObjectNode out = NODES.objectNode();
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        PathElement pe = PathElement.field(e.getKey());
        if (toRemove.hasMember(pe)) {
          continue;
        }
        FieldSet sub = toRemove.withPrefix(pe);
        JsonNode c = e.getValue();
        if (!sub.isEmpty()) {
          c = remove(c, sub, schema, FieldSchema.child(fp, e.getKey()), false);
          if (c == null) {
            continue;
          }
        }
        out.set(e.getKey(), c);
      }
      return out.isEmpty() ? null : out;
    }
    if (v.isArray()) {
      ListType lt = schema.listType(fp);
      if (v.isEmpty()) {
        return null;
      }
      if (lt.kind() == ListType.Kind.ATOMIC) {
        return v;
      }
      ArrayNode out = NODES.arrayNode();
      for (JsonNode item : v.values()) {
        PathElement pe = itemElement(lt, item);
        if (toRemove.hasMember(pe)) {
          continue;
        }
        FieldSet sub = toRemove.withPrefix(pe);
        JsonNode c = item;
        if (!sub.isEmpty()) {
          c = remove(item, sub, schema, fp, false);
          if (c == null) {
            continue;
          }
        }
        out.add(c);
      }
      return out.isEmpty() ? null : out;
    }
    return v;
  }
}
