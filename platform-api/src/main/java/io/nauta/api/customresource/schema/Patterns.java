package io.nauta.api.customresource.schema;

import com.google.re2j.Pattern;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiled {@code pattern}s, with RE2 semantics as in Go's {@code regexp} (re2j, which cel-java
 * also uses); a schema's patterns are checked to compile when the schema is compiled.
 */
final class Patterns {
  private Patterns() {}

  private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();

  static Pattern get(String pattern) {
    return CACHE.computeIfAbsent(pattern, Pattern::compile);
  }
}
