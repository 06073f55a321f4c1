package io.nauta.api.storage;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Puts the resourceVersion into an encrypted object's JSON when it is read. The write script sets
 * {@code metadata.resourceVersion} inside plaintext values, but cannot see inside a sealed one; so
 * a sealed value holds an empty resourceVersion (as Kubernetes stores objects without theirs) and
 * gets the version it was stored at on the way out. A streaming pass finds the field without
 * building the object.
 */
final class ResourceVersionSplice {

  private static final JsonFactory JSON = new JsonFactory();

  private ResourceVersionSplice() {}

  /** {@code json} with {@code metadata.resourceVersion} set to {@code rv}. */
  static String insert(String json, long rv) {
    try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return json;
      }
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (!"metadata".equals(name) || value != JsonToken.START_OBJECT) {
          p.skipChildren();
          continue;
        }
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
          String field = p.currentName();
          JsonToken v = p.nextToken();
          if ("resourceVersion".equals(field) && v == JsonToken.VALUE_STRING) {
            int start = (int) p.currentTokenLocation().getCharOffset();
            // Resource versions are digits (or empty): the token is the value in quotes.
            int end = start + p.getString().length() + 2;
            return json.substring(0, start) + '"' + rv + '"' + json.substring(end);
          }
          p.skipChildren();
        }
        return json;
      }
      return json;
    }
  }
}
