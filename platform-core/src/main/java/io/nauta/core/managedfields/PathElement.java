package io.nauta.core.managedfields;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * One step of a field path, as structured-merge-diff's {@code fieldpath.PathElement}: a field name
 * ({@code f:name}), the key fields of an item of a list-map ({@code k:{"name":"x"}}), the value of
 * an item of a set ({@code v:"x"}) or an index of an atomic list ({@code i:0}). Elements order as
 * upstream orders them (field names, then keys, values, indexes), the order FieldsV1 is written in.
 */
public final class PathElement implements Comparable<PathElement> {

  static final ObjectMapper JSON = JsonMapper.builder().build();

  enum Type {
    FIELD,
    KEY,
    VALUE,
    INDEX
  }

  private final Type type;
  private final String name;
  private final List<Map.Entry<String, JsonNode>> key;
  private final JsonNode value;
  private final int index;

  private PathElement(
      Type type, String name, List<Map.Entry<String, JsonNode>> key, JsonNode value, int index) {
    this.type = type;
    this.name = name;
    this.key = key;
    this.value = value;
    this.index = index;
  }

  /** {@code f:<name>}. */
  public static PathElement field(String name) {
    return new PathElement(Type.FIELD, name, null, null, 0);
  }

  /** {@code k:{...}}: the key fields of a list-map item (sorted by name here). */
  public static PathElement key(JsonNode keyFields) {
    List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : keyFields.properties()) {
      fields.add(Map.entry(e.getKey(), e.getValue()));
    }
    fields.sort(Map.Entry.comparingByKey());
    return new PathElement(Type.KEY, null, List.copyOf(fields), null, 0);
  }

  /** {@code v:<json>}: an item of a set, by its value. */
  public static PathElement value(JsonNode value) {
    return new PathElement(Type.VALUE, null, null, value, 0);
  }

  /** {@code i:<n>}. */
  public static PathElement index(int index) {
    return new PathElement(Type.INDEX, null, null, null, index);
  }

  Type type() {
    return type;
  }

  /** The field name of a {@code f:} element, else null. */
  public String fieldName() {
    return type == Type.FIELD ? name : null;
  }

  @Override
  public int compareTo(PathElement o) {
    int r = type.compareTo(o.type);
    if (r != 0) {
      return r;
    }
    switch (type) {
      case FIELD:
        return name.compareTo(o.name);
      case KEY:
        return compareKeys(key, o.key);
      case VALUE:
        return compareValues(value, o.value);
      default:
        return Integer.compare(index, o.index);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PathElement p && compareTo(p) == 0;
  }

  @Override
  public int hashCode() {
    switch (type) {
      case FIELD:
        return name.hashCode();
      case KEY:
        int h = 1;
        for (Map.Entry<String, JsonNode> e : key) {
          h = 31 * h + e.getKey().hashCode();
        }
        return h;
      case VALUE:
        return value.isNumber() ? Double.hashCode(value.doubleValue()) : value.hashCode();
      default:
        return index;
    }
  }

  private static int compareKeys(
      List<Map.Entry<String, JsonNode>> a, List<Map.Entry<String, JsonNode>> b) {
    for (int i = 0; ; i++) {
      if (i >= a.size() && i >= b.size()) {
        return 0;
      }
      if (i >= a.size()) {
        return -1;
      }
      if (i >= b.size()) {
        return 1;
      }
      int c = a.get(i).getKey().compareTo(b.get(i).getKey());
      if (c == 0) {
        c = compareValues(a.get(i).getValue(), b.get(i).getValue());
      }
      if (c != 0) {
        return c;
      }
    }
  }

  /** structured-merge-diff's total order of values: numbers, strings, booleans, lists, maps. */
  static int compareValues(JsonNode a, JsonNode b) {
    int ra = valueRank(a);
    int rb = valueRank(b);
    if (ra != rb) {
      return Integer.compare(ra, rb);
    }
    switch (ra) {
      case 0:
        return a.decimalValue().compareTo(b.decimalValue());
      case 1:
        return a.asString().compareTo(b.asString());
      case 2:
        return Boolean.compare(a.asBoolean(), b.asBoolean());
      case 3:
        Iterator<JsonNode> ia = a.values().iterator();
        Iterator<JsonNode> ib = b.values().iterator();
        while (ia.hasNext() && ib.hasNext()) {
          int c = compareValues(ia.next(), ib.next());
          if (c != 0) {
            return c;
          }
        }
        return Boolean.compare(ia.hasNext(), ib.hasNext());
      case 4:
        return JSON.writeValueAsString(a).compareTo(JSON.writeValueAsString(b));
      default:
        return 0;
    }
  }

  private static int valueRank(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return 5;
    }
    if (v.isNumber()) {
      return 0;
    }
    if (v.isString()) {
      return 1;
    }
    if (v.isBoolean()) {
      return 2;
    }
    return v.isArray() ? 3 : 4;
  }

  /** The FieldsV1 key of this element. */
  public String serialize() {
    switch (type) {
      case FIELD:
        return "f:" + name;
      case KEY:
        StringBuilder s = new StringBuilder("k:{");
        for (int i = 0; i < key.size(); i++) {
          if (i > 0) {
            s.append(',');
          }
          Map.Entry<String, JsonNode> e = key.get(i);
          s.append(JSON.writeValueAsString(e.getKey())).append(':').append(json(e.getValue()));
        }
        return s.append('}').toString();
      case VALUE:
        return "v:" + json(value);
      default:
        return "i:" + index;
    }
  }

  /**
   * As upstream's {@code PathElement.String}: {@code .name}, {@code [name="x"]}, {@code [="x"]}.
   */
  @Override
  public String toString() {
    switch (type) {
      case FIELD:
        return "." + name;
      case KEY:
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : key) {
          parts.add(e.getKey() + "=" + json(e.getValue()));
        }
        return "[" + String.join(",", parts) + "]";
      case VALUE:
        return "[=" + json(value) + "]";
      default:
        return "[" + index + "]";
    }
  }

  private static String json(JsonNode v) {
    if (v.isNumber() && !v.isIntegralNumber()) {
      BigDecimal d = v.decimalValue().stripTrailingZeros();
      if (d.scale() <= 0) {
        return d.toBigInteger().toString();
      }
    }
    return JSON.writeValueAsString(v);
  }

  /** Parses a FieldsV1 key; null for a kind of element this version does not know (skipped). */
  static PathElement parse(String s) {
    if (s.length() < 2 || s.charAt(1) != ':') {
      throw new IllegalArgumentException("key must be a path element: " + s);
    }
    String body = s.substring(2);
    switch (s.charAt(0)) {
      case 'f':
        return field(body);
      case 'v':
        return value(JSON.readTree(body));
      case 'i':
        return index(Integer.parseInt(body));
      case 'k':
        JsonNode obj = JSON.readTree(body);
        if (!obj.isObject()) {
          throw new IllegalArgumentException("bad key path element: " + s);
        }
        return key(obj);
      default:
        return null;
    }
  }
}
