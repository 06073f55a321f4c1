package io.nauta.api.http;

import io.nauta.api.cache.CachedObject;
import io.nauta.api.cache.ListResult;
import io.nauta.api.resource.ContinueToken;
import io.nauta.core.registry.ResourceType;

/**
 * Writes list bodies by concatenating the objects' stored JSON: a list of thousands of pods is not
 * re-serialized object by object.
 */
final class ListResponses {

  private ListResponses() {}

  static String toJson(ResourceType type, ListResult result) {
    StringBuilder s = new StringBuilder(256 + result.items().size() * 1024);
    s.append("{\"kind\":\"")
        .append(type.listKind())
        .append("\",\"apiVersion\":\"")
        .append(type.apiVersion())
        .append("\",\"metadata\":{\"resourceVersion\":\"")
        .append(result.resourceVersion())
        .append('"');
    if (result.continueToken() != null) {
      s.append(",\"continue\":\"")
          .append(new ContinueToken(result.resourceVersion(), result.continueToken()).encode())
          .append('"');
      // Left out when unknown (a page of a list with a selector), as Kubernetes does.
      if (result.remainingItemCount() != null) {
        s.append(",\"remainingItemCount\":").append(result.remainingItemCount());
      }
    }
    s.append("},\"items\":[");
    boolean first = true;
    for (CachedObject o : result.items()) {
      if (!first) {
        s.append(',');
      }
      first = false;
      s.append(o.json());
    }
    return s.append("]}").toString();
  }
}
