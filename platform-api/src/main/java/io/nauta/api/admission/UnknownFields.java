package io.nauta.api.admission;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsonFormatVisitors.JsonArrayFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonFormatVisitable;
import tools.jackson.databind.jsonFormatVisitors.JsonFormatVisitorWrapper;
import tools.jackson.databind.jsonFormatVisitors.JsonMapFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonObjectFormatVisitor;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Finds the fields of an object that its kind does not have, as Kubernetes' field validation does.
 *
 * <p>The request's JSON tree is walked beside the shape of the kind's model class: which properties
 * an object has, what a list holds, what a map's values are. Shapes come from the mapper's own
 * serializers (Jackson's format visitor), so "known" means exactly what the model reads and writes,
 * without its {@code additionalProperties} (where the fabric8 model keeps whatever it does not
 * know). A shape is worked out once per Java type and kept; finding unknown fields is then a walk
 * of the tree with a map lookup per field, instead of writing the decoded model back to a tree,
 * which was a sixth of a create's CPU (docs/benchmarks.md, issue 13).
 */
public final class UnknownFields {

  /** What a value of one Java type looks like in JSON, as far as unknown fields go. */
  private sealed interface Shape {}

  /** An object with these properties; anything else in it is unknown. */
  private record Properties(Map<String, JavaType> types) implements Shape {}

  /** A list (or set, or array) of items of one type. */
  private record Items(JavaType item) implements Shape {}

  /** A map from any keys to values of one type. */
  private record Values(JavaType value) implements Shape {}

  /** A scalar, or a value with a serializer of its own (quantities, int-or-string, raw JSON). */
  private record Anything() implements Shape {}

  private static final Shape ANYTHING = new Anything();

  /**
   * Where a value is, as a chain to its parent: written out ({@code spec.containers[0].foo}) only
   * for a field that is reported, so that walking a request builds no strings.
   */
  private record Path(Path parent, String field, int index) {

    static final Path ROOT = new Path(null, null, -1);

    Path field(String name) {
      return new Path(this, name, -1);
    }

    Path item(int i) {
      return new Path(this, null, i);
    }

    @Override
    public String toString() {
      StringBuilder out = new StringBuilder();
      append(out);
      return out.toString();
    }

    private void append(StringBuilder out) {
      if (parent == null) {
        return;
      }
      parent.append(out);
      if (field == null) {
        out.append('[').append(index).append(']');
      } else {
        if (!out.isEmpty()) {
          out.append('.');
        }
        out.append(field);
      }
    }
  }

  private final JsonMapper knownOnly;
  private final Map<JavaType, Shape> shapes = new ConcurrentHashMap<>();

  public UnknownFields(JsonMapper mapper) {
    // The any-getter is the model's additionalProperties: not a field of the kind.
    this.knownOnly =
        mapper
            .rebuild()
            .annotationIntrospector(
                new JacksonAnnotationIntrospector() {
                  @Override
                  public Boolean hasAnyGetter(MapperConfig<?> config, Annotated a) {
                    return Boolean.FALSE;
                  }
                })
            .build();
  }

  /**
   * The fields of {@code obj} that {@code modelClass} does not have, as Kubernetes writes their
   * paths: {@code spec.containers[0].foo}.
   */
  public List<String> find(ObjectNode obj, Class<?> modelClass) {
    List<String> out = new ArrayList<>();
    walk(obj, knownOnly.constructType(modelClass), Path.ROOT, out, false);
    return out;
  }

  /** Removes from {@code obj}, in place, every field {@code modelClass} does not have. */
  public void prune(ObjectNode obj, Class<?> modelClass) {
    walk(obj, knownOnly.constructType(modelClass), Path.ROOT, null, true);
  }

  private void walk(JsonNode node, JavaType type, Path path, List<String> out, boolean prune) {
    Shape shape = shapeOf(type);
    if (shape instanceof Properties p && node instanceof ObjectNode o) {
      List<String> drop = prune ? new ArrayList<>() : null;
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        JavaType known = p.types().get(e.getKey());
        if (known != null) {
          walk(e.getValue(), known, path.field(e.getKey()), out, prune);
        } else if (!isEmpty(e.getValue())) {
          // An unknown field left empty carries no data: neither reported nor removed.
          if (prune) {
            drop.add(e.getKey());
          } else {
            out.add(path.field(e.getKey()).toString());
          }
        }
      }
      if (drop != null) {
        o.remove(drop);
      }
    } else if (shape instanceof Items i && node instanceof ArrayNode a) {
      for (int k = 0; k < a.size(); k++) {
        walk(a.get(k), i.item(), path.item(k), out, prune);
      }
    } else if (shape instanceof Values v && node instanceof ObjectNode o) {
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        walk(e.getValue(), v.value(), path.field(e.getKey()), out, prune);
      }
    }
    // Anything else: a scalar, a value of the wrong JSON type (decoding reports that), or a value
    // with a format of its own.
  }

  private Shape shapeOf(JavaType type) {
    Shape known = shapes.get(type);
    if (known == null) {
      // Not computeIfAbsent: visiting a type may ask for the shapes of others.
      known = visit(type);
      shapes.putIfAbsent(type, known);
    }
    return known;
  }

  private Shape visit(JavaType type) {
    Class<?> raw = type.getRawClass();
    if (raw == Object.class || JsonNode.class.isAssignableFrom(raw)) {
      // Raw data (a ControllerRevision's data, a schema's default): whatever it holds is its own.
      return ANYTHING;
    }
    ShapeVisitor visitor = new ShapeVisitor();
    knownOnly.acceptJsonFormatVisitor(type, visitor);
    if (visitor.shape instanceof Properties p && p.types().isEmpty()) {
      // An object the serializer names no property of is one it writes in a way of its own.
      return ANYTHING;
    }
    return visitor.shape;
  }

  private static boolean isEmpty(JsonNode v) {
    return v.isNull() || ((v.isObject() || v.isArray()) && v.isEmpty());
  }

  /** Records which of object, list or map the serializer of a type says it writes. */
  private static final class ShapeVisitor extends JsonFormatVisitorWrapper.Base {

    Shape shape = ANYTHING;

    @Override
    public JsonObjectFormatVisitor expectObjectFormat(JavaType type) {
      Map<String, JavaType> types = new HashMap<>();
      shape = new Properties(types);
      return new JsonObjectFormatVisitor.Base(getContext()) {
        @Override
        public void property(BeanProperty prop) {
          types.put(prop.getName(), prop.getType());
        }

        @Override
        public void optionalProperty(BeanProperty prop) {
          types.put(prop.getName(), prop.getType());
        }

        @Override
        public void property(String name, JsonFormatVisitable handler, JavaType propertyTypeHint) {
          types.put(name, propertyTypeHint);
        }

        @Override
        public void optionalProperty(
            String name, JsonFormatVisitable handler, JavaType propertyTypeHint) {
          types.put(name, propertyTypeHint);
        }
      };
    }

    @Override
    public JsonArrayFormatVisitor expectArrayFormat(JavaType type) {
      shape = type.getContentType() == null ? ANYTHING : new Items(type.getContentType());
      return new JsonArrayFormatVisitor.Base(getContext()) {
        @Override
        public void itemsFormat(JsonFormatVisitable handler, JavaType elementType) {
          if (elementType != null) {
            shape = new Items(elementType);
          }
        }
      };
    }

    @Override
    public JsonMapFormatVisitor expectMapFormat(JavaType type) {
      shape = type.getContentType() == null ? ANYTHING : new Values(type.getContentType());
      return new JsonMapFormatVisitor.Base(getContext()) {
        @Override
        public void valueFormat(JsonFormatVisitable handler, JavaType valueType) {
          if (valueType != null) {
            shape = new Values(valueType);
          }
        }
      };
    }
  }
}
