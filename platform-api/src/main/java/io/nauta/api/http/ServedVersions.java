package io.nauta.api.http;

import io.nauta.api.cache.CachedObject;
import io.nauta.api.cache.ListResult;
import io.nauta.api.cache.WatchEvent;
import io.nauta.core.registry.ResourceType;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Conversion between the served and stored forms: for HorizontalPodAutoscalers ({@link
 * AutoscalingConversion}) and events.k8s.io Events ({@link EventsV1Conversion}) a conversion of
 * their own; otherwise conversion {@code None} between the versions of a kind served at several (a
 * custom resource): objects are stored at the storage version and only their {@code apiVersion}
 * differs between versions, so reading through another version rewrites it, and a write through
 * another version is stored with the storage version's. For a kind served at one version this
 * changes nothing.
 */
final class ServedVersions {

  private final JsonMapper mapper;

  ServedVersions(JsonMapper mapper) {
    this.mapper = mapper;
  }

  static boolean differ(ResourceType served, ResourceType stored) {
    return !served.apiVersion().equals(stored.apiVersion());
  }

  /** The object as the served version shows it (changed in place). */
  ObjectNode toServed(ObjectNode obj, ResourceType served) {
    if (AutoscalingConversion.applies(served)
        && served.version().equals("v1")
        && !obj.path("apiVersion").asString("").equals(served.apiVersion())) {
      return AutoscalingConversion.toV1(obj);
    }
    if (EventsV1Conversion.applies(served) && !EventsV1Conversion.isEventsV1(obj)) {
      return EventsV1Conversion.toEventsV1(obj);
    }
    if (obj.has("apiVersion") && !obj.path("apiVersion").asString("").equals(served.apiVersion())) {
      obj.put("apiVersion", served.apiVersion());
    }
    return obj;
  }

  /** The stored JSON as the served version shows it; the same string when nothing differs. */
  String toServed(String json, ResourceType served, ResourceType stored) {
    if (!differ(served, stored)) {
      return json;
    }
    ObjectNode obj = (ObjectNode) mapper.readTree(json);
    return mapper.writeValueAsString(toServed(obj, served));
  }

  ListResult toServed(ListResult result, ResourceType served, ResourceType stored) {
    if (!differ(served, stored)) {
      return result;
    }
    return new ListResult(
        result.resourceVersion(),
        result.items().stream()
            .map(
                o -> {
                  ObjectNode node = toServed(o.node().deepCopy(), served);
                  return new CachedObject(
                      o.sortKey(),
                      o.namespace(),
                      o.name(),
                      o.resourceVersion(),
                      node,
                      mapper.writeValueAsString(node),
                      o.labels());
                })
            .toList(),
        result.continueToken(),
        result.remainingItemCount());
  }

  WatchEvent toServed(WatchEvent e, ResourceType served, ResourceType stored) {
    if (!differ(served, stored)) {
      return e;
    }
    return new WatchEvent(e.type(), toServed(e.objectJson(), served, stored));
  }
}
