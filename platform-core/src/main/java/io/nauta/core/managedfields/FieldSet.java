package io.nauta.core.managedfields;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A set of field paths, as structured-merge-diff's {@code fieldpath.Set}: at each level the
 * elements that are themselves in the set ({@code members}) and the elements under which more of
 * the set lies ({@code children}). Serialized as {@code FieldsV1}: {@code {"f:spec":{"f:replicas":
 * {}}}}, with {@code ".": {}} marking an element that is both a member and has children.
 */
public final class FieldSet {

  private final TreeSet<PathElement> members = new TreeSet<>();
  private final TreeMap<PathElement, FieldSet> children = new TreeMap<>();

  public static FieldSet empty() {
    return new FieldSet();
  }

  public boolean isEmpty() {
    if (!members.isEmpty()) {
      return false;
    }
    for (FieldSet c : children.values()) {
      if (!c.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** Adds one path (non-empty). */
  public FieldSet insert(List<PathElement> path) {
    FieldSet at = this;
    for (int i = 0; i < path.size() - 1; i++) {
      at = at.children.computeIfAbsent(path.get(i), k -> new FieldSet());
    }
    at.members.add(path.get(path.size() - 1));
    return this;
  }

  public boolean has(List<PathElement> path) {
    FieldSet at = this;
    for (int i = 0; i < path.size() - 1; i++) {
      at = at.children.get(path.get(i));
      if (at == null) {
        return false;
      }
    }
    return at.members.contains(path.get(path.size() - 1));
  }

  boolean hasMember(PathElement pe) {
    return members.contains(pe);
  }

  /** The paths under {@code pe}, without it; empty when there are none. */
  public FieldSet withPrefix(PathElement pe) {
    FieldSet c = children.get(pe);
    return c == null ? EMPTY : c;
  }

  private static final FieldSet EMPTY = new FieldSet();

  public FieldSet union(FieldSet o) {
    FieldSet r = copy();
    r.addAll(o);
    return r;
  }

  private void addAll(FieldSet o) {
    members.addAll(o.members);
    for (Map.Entry<PathElement, FieldSet> e : o.children.entrySet()) {
      children.computeIfAbsent(e.getKey(), k -> new FieldSet()).addAll(e.getValue());
    }
  }

  public FieldSet copy() {
    FieldSet r = new FieldSet();
    r.addAll(this);
    return r;
  }

  /** The paths of this set not in {@code o}. */
  public FieldSet difference(FieldSet o) {
    FieldSet r = new FieldSet();
    for (PathElement m : members) {
      if (!o.members.contains(m)) {
        r.members.add(m);
      }
    }
    for (Map.Entry<PathElement, FieldSet> e : children.entrySet()) {
      FieldSet other = o.children.get(e.getKey());
      FieldSet d = other == null ? e.getValue().copy() : e.getValue().difference(other);
      if (!d.isEmpty()) {
        r.children.put(e.getKey(), d);
      }
    }
    return r;
  }

  /** The paths in both. */
  public FieldSet intersection(FieldSet o) {
    FieldSet r = new FieldSet();
    for (PathElement m : members) {
      if (o.members.contains(m)) {
        r.members.add(m);
      }
    }
    for (Map.Entry<PathElement, FieldSet> e : children.entrySet()) {
      FieldSet other = o.children.get(e.getKey());
      if (other != null) {
        FieldSet i = e.getValue().intersection(other);
        if (!i.isEmpty()) {
          r.children.put(e.getKey(), i);
        }
      }
    }
    return r;
  }

  /**
   * Upstream's {@code EnsureNamedFieldsAreMembers}: a struct's field with something under it counts
   * as a member too, so removing a set removes the struct field rather than leaving it empty.
   * {@code mapOfValues} says which paths (field names from the root) are maps whose keys are data,
   * not declared fields.
   */
  FieldSet ensureNamedFieldsAreMembers(FieldSchema schema, List<String> at) {
    FieldSet r = new FieldSet();
    r.members.addAll(members);
    boolean struct = !schema.isMapOfValues(at);
    for (Map.Entry<PathElement, FieldSet> e : children.entrySet()) {
      PathElement pe = e.getKey();
      List<String> below = at;
      if (pe.fieldName() != null) {
        if (struct) {
          r.members.add(pe);
        }
        below = FieldSchema.child(at, pe.fieldName());
      }
      r.children.put(pe, e.getValue().ensureNamedFieldsAreMembers(schema, below));
    }
    return r;
  }

  /** The paths that start with {@code top}, {@code top} itself included (a recursive filter). */
  FieldSet onlyUnder(PathElement top) {
    FieldSet r = new FieldSet();
    if (members.contains(top)) {
      r.members.add(top);
    }
    FieldSet c = children.get(top);
    if (c != null) {
      r.children.put(top, c.copy());
    }
    return r;
  }

  /** The paths that do not start with {@code top} (upstream's RecursiveDifference of one path). */
  FieldSet without(PathElement top) {
    if (!members.contains(top) && !children.containsKey(top)) {
      return this;
    }
    FieldSet r = copy();
    r.members.remove(top);
    r.children.remove(top);
    return r;
  }

  /** Every path of the set, members before children at each level, in order. */
  public List<List<PathElement>> paths() {
    List<List<PathElement>> out = new ArrayList<>();
    iterate(new ArrayList<>(), (p, x) -> out.add(List.copyOf(p)));
    return out;
  }

  private void iterate(List<PathElement> prefix, BiConsumer<List<PathElement>, Void> f) {
    for (PathElement m : members) {
      prefix.add(m);
      f.accept(prefix, null);
      prefix.remove(prefix.size() - 1);
    }
    for (Map.Entry<PathElement, FieldSet> e : children.entrySet()) {
      prefix.add(e.getKey());
      e.getValue().iterate(prefix, f);
      prefix.remove(prefix.size() - 1);
    }
  }

  /** A path as upstream prints it in conflicts: {@code .spec.containers[name="x"].image}. */
  public static String describe(List<PathElement> path) {
    StringBuilder s = new StringBuilder();
    for (PathElement pe : path) {
      s.append(pe);
    }
    return s.toString();
  }

  /** The FieldsV1 object. */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    write(o, false);
    return o;
  }

  private void write(ObjectNode o, boolean self) {
    if (self && !(members.isEmpty() && children.isEmpty())) {
      o.putObject(".");
    }
    // Members and children interleave in element order, as upstream's merge of the two lists.
    Iterator<PathElement> m = members.iterator();
    Iterator<Map.Entry<PathElement, FieldSet>> c = children.entrySet().iterator();
    PathElement nextMember = m.hasNext() ? m.next() : null;
    Map.Entry<PathElement, FieldSet> nextChild = c.hasNext() ? c.next() : null;
    while (nextMember != null || nextChild != null) {
      int order =
          nextMember == null
              ? 1
              : nextChild == null ? -1 : nextMember.compareTo(nextChild.getKey());
      if (order < 0) {
        o.putObject(nextMember.serialize());
        nextMember = m.hasNext() ? m.next() : null;
      } else {
        ObjectNode node = o.putObject(nextChild.getKey().serialize());
        nextChild.getValue().write(node, order == 0);
        if (order == 0) {
          nextMember = m.hasNext() ? m.next() : null;
        }
        nextChild = c.hasNext() ? c.next() : null;
      }
    }
  }

  /** Parses FieldsV1; elements of an unknown kind are skipped, as upstream skips them. */
  public static FieldSet fromJson(JsonNode fields) {
    FieldSet s = new FieldSet();
    if (fields == null || !fields.isObject()) {
      throw new IllegalArgumentException("FieldsV1 must be a JSON object");
    }
    s.read(fields);
    return s;
  }

  private void read(JsonNode obj) {
    for (Map.Entry<String, JsonNode> e : obj.properties()) {
      if (e.getKey().equals(".")) {
        continue;
      }
      PathElement pe = PathElement.parse(e.getKey());
      if (pe == null) {
        continue;
      }
      JsonNode v = e.getValue();
      if (!v.isObject()) {
        throw new IllegalArgumentException("FieldsV1 values must be objects");
      }
      boolean member = v.isEmpty() || v.has(".");
      if (member) {
        members.add(pe);
      }
      if (v.size() > (v.has(".") ? 1 : 0)) {
        FieldSet c = new FieldSet();
        c.read(v);
        if (!c.isEmpty()) {
          children.put(pe, c);
        } else if (!member) {
          members.add(pe);
        }
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldSet f && members.equals(f.members) && childrenEqual(f);
  }

  private boolean childrenEqual(FieldSet f) {
    return difference(f).isEmpty() && f.difference(this).isEmpty();
  }

  @Override
  public int hashCode() {
    return members.hashCode();
  }

  @Override
  public String toString() {
    return toJson().toString();
  }
}
