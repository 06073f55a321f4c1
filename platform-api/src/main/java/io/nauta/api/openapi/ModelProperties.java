package io.nauta.api.openapi;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.type.TypeFactory;

/**
 * The JSON properties of a fabric8 model class, read from its {@code @JsonProperty} fields. Every
 * fabric8 model field carries that annotation with the wire name, so reading fields (rather than a
 * full Jackson bean description) is both enough and independent of the mapper's configuration; the
 * catch-all {@code additionalProperties} map is {@code @JsonIgnore}d and so left out.
 */
public final class ModelProperties {

  /** One property: its wire name, its (generic) type, and whether the model marks it required. */
  public record Property(String name, JavaType type, boolean required) {}

  private final TypeFactory types;
  private final Map<Class<?>, List<Property>> cache = new ConcurrentHashMap<>();

  public ModelProperties(TypeFactory types) {
    this.types = types;
  }

  /** The properties of {@code type}, sorted by name (as Kubernetes publishes them). */
  public List<Property> of(Class<?> type) {
    return cache.computeIfAbsent(type, this::read);
  }

  private List<Property> read(Class<?> type) {
    Map<String, Property> byName = new TreeMap<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        JsonProperty json = f.getAnnotation(JsonProperty.class);
        if (json == null
            || Modifier.isStatic(f.getModifiers())
            || f.isAnnotationPresent(JsonIgnore.class)) {
          continue;
        }
        String name = json.value().isEmpty() ? f.getName() : json.value();
        byName.putIfAbsent(
            name, new Property(name, types.constructType(f.getGenericType()), json.required()));
      }
    }
    List<Property> out = new ArrayList<>(byName.values());
    out.sort(Comparator.comparing(Property::name));
    return List.copyOf(out);
  }

  /** The model class a property leads to: its own class, or its element class for a list. */
  public static Class<?> elementClass(JavaType type) {
    if (type.isCollectionLikeType() || type.isArrayType()) {
      return type.getContentType().getRawClass();
    }
    return type.getRawClass();
  }
}
