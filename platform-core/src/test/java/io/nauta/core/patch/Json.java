package io.nauta.core.patch;

import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Test documents written with single quotes, so a table of cases stays readable in Java. */
final class Json {

  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES).build();

  private Json() {}

  static JsonNode json(String text) {
    return MAPPER.readTree(text);
  }
}
