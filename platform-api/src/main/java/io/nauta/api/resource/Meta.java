package io.nauta.api.resource;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads and writes {@code metadata} fields of an object held as a JSON tree. */
public final class Meta {

  private Meta() {}

  public static ObjectNode of(ObjectNode obj) {
    JsonNode m = obj.get("metadata");
    if (m instanceof ObjectNode o) {
      return o;
    }
    return obj.putObject("metadata");
  }

  public static String text(JsonNode obj, String field) {
    JsonNode v = obj.path("metadata").get(field);
    return v == null || v.isNull() ? null : v.asString();
  }

  public static String name(JsonNode obj) {
    return text(obj, "name");
  }

  public static String namespace(JsonNode obj) {
    return text(obj, "namespace");
  }

  public static String uid(JsonNode obj) {
    return text(obj, "uid");
  }

  public static String resourceVersion(JsonNode obj) {
    return text(obj, "resourceVersion");
  }

  public static boolean isDeleting(JsonNode obj) {
    return text(obj, "deletionTimestamp") != null;
  }

  public static List<String> finalizers(JsonNode obj) {
    List<String> out = new ArrayList<>();
    obj.path("metadata").path("finalizers").forEach(f -> out.add(f.asString()));
    return out;
  }

  public static void setFinalizers(ObjectNode obj, List<String> finalizers) {
    if (finalizers.isEmpty()) {
      of(obj).remove("finalizers");
      return;
    }
    ArrayNode arr = of(obj).putArray("finalizers");
    finalizers.forEach(arr::add);
  }

  /** Kubernetes timestamps: RFC 3339 in UTC, whole seconds. */
  public static String timestamp(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
