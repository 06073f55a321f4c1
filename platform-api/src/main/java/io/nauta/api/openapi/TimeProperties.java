package io.nauta.api.openapi;

import io.fabric8.kubernetes.api.model.MicroTime;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JavaType;

/**
 * Which properties of the model hold a {@code metav1.Time} or a {@code metav1.MicroTime}. The
 * fabric8 model keeps a Time as a plain string, so the model alone cannot say; upstream's OpenAPI
 * definitions can, and {@code time-properties} beside this class is their extract. The OpenAPI
 * documents mark these properties {@code date-time}, and writes store their values as Kubernetes'
 * Go types write them.
 */
public final class TimeProperties {

  /** The two Go types. */
  public enum Kind {
    TIME,
    MICRO_TIME
  }

  private static final Map<String, Kind> TABLE = readTable();

  private TimeProperties() {}

  /**
   * What {@code property} of model class {@code holder} holds (itself, or as the items of a list or
   * the values of a map): a Time, a MicroTime, or null for neither.
   */
  public static Kind of(Class<?> holder, String property, JavaType type) {
    if (elementOf(type) == MicroTime.class) {
      return Kind.MICRO_TIME;
    }
    return TABLE.get(key(SchemaNames.of(holder)) + " " + property);
  }

  /** What a property holds: its class, or its items' or values' for a list or map. */
  public static Class<?> elementOf(JavaType t) {
    return t.isMapLikeType() ? t.getContentType().getRawClass() : ModelProperties.elementClass(t);
  }

  /**
   * A definition by its last package segments and name ({@code core.v1.PodCondition}): fabric8's
   * packages give upstream's group and version, not always its Go module ({@code
   * io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1}).
   */
  private static String key(String definition) {
    int name = definition.lastIndexOf('.');
    int version = definition.lastIndexOf('.', name - 1);
    int group = definition.lastIndexOf('.', version - 1);
    return definition.substring(group + 1);
  }

  private static Map<String, Kind> readTable() {
    Map<String, Kind> table = new HashMap<>();
    try (InputStream in = TimeProperties.class.getResourceAsStream("time-properties")) {
      if (in == null) {
        throw new IllegalStateException("time-properties is missing from the class path");
      }
      BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.trim().split("\\s+");
        table.put(key(f[0]) + " " + f[1], f[2].equals("MicroTime") ? Kind.MICRO_TIME : Kind.TIME);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.copyOf(table);
  }
}
