package io.nauta.controllers.deployment;

import tools.jackson.databind.json.JsonMapper;

/** Deep copies of model objects, so objects from the informer caches are never changed. */
final class Copies {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private Copies() {}

  @SuppressWarnings("unchecked")
  static <T> T deep(T object) {
    if (object == null) {
      return null;
    }
    return (T) MAPPER.readValue(MAPPER.writeValueAsBytes(object), object.getClass());
  }
}
