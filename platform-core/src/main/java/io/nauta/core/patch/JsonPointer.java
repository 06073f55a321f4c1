package io.nauta.core.patch;

import io.nauta.core.errors.BadRequestException;
import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 6901 JSON Pointer, split into unescaped reference tokens. Keeps the text it was parsed
 * from so error messages quote exactly what the client sent.
 */
record JsonPointer(String text, List<String> tokens) {

  static JsonPointer parse(String text) {
    if (text.isEmpty()) {
      return new JsonPointer(text, List.of());
    }
    if (text.charAt(0) != '/') {
      throw new BadRequestException("invalid JSON pointer \"" + text + "\": must start with '/'");
    }
    List<String> tokens = new ArrayList<>();
    for (String raw : text.substring(1).split("/", -1)) {
      tokens.add(unescape(raw, text));
    }
    return new JsonPointer(text, List.copyOf(tokens));
  }

  private static String unescape(String raw, String text) {
    if (raw.indexOf('~') < 0) {
      return raw;
    }
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '~') {
        out.append(c);
        continue;
      }
      char next = i + 1 < raw.length() ? raw.charAt(i + 1) : 0;
      if (next == '0') {
        out.append('~');
      } else if (next == '1') {
        out.append('/');
      } else {
        throw new BadRequestException(
            "invalid JSON pointer \"" + text + "\": '~' must be followed by '0' or '1'");
      }
      i++;
    }
    return out.toString();
  }

  boolean isRoot() {
    return tokens.isEmpty();
  }

  JsonPointer parent() {
    int cut = text.lastIndexOf('/');
    return new JsonPointer(text.substring(0, cut), tokens.subList(0, tokens.size() - 1));
  }

  String last() {
    return tokens.get(tokens.size() - 1);
  }

  /** True when this pointer names a node strictly inside the one {@code other} names. */
  boolean isInside(JsonPointer other) {
    return tokens.size() > other.tokens.size()
        && tokens.subList(0, other.tokens.size()).equals(other.tokens);
  }

  @Override
  public String toString() {
    return text;
  }
}
