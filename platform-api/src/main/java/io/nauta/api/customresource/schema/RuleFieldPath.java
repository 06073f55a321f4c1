package io.nauta.api.customresource.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code fieldPath} of an {@code x-kubernetes-validations} rule ({@code .spec.x}, {@code
 * .labels['a.b']}), resolved against the schema the rule sits on as upstream's {@code
 * ValidFieldPath} does: the normalized path that the rule's errors point at, or null if the path
 * does not name a field of the schema.
 */
final class RuleFieldPath {
  private RuleFieldPath() {}

  static String normalize(String jsonPath, Schema schema) {
    List<String> tokens = tokens(jsonPath);
    String path = "";
    Schema s = schema;
    int i = 0;
    while (i < tokens.size()) {
      String tok = tokens.get(i++);
      String name;
      if (tok.equals("[")) {
        if (i >= tokens.size()) {
          return null;
        }
        String quoted = tokens.get(i++);
        if (quoted.length() < 2 || quoted.charAt(0) != '\'' || !quoted.endsWith("'")) {
          return null;
        }
        name = unescape(quoted.substring(1, quoted.length() - 1));
        if (name == null || i >= tokens.size() || !tokens.get(i++).equals("]")) {
          return null;
        }
      } else if (tok.equals(".")) {
        if (i >= tokens.size()) {
          return null;
        }
        name = tokens.get(i++);
      } else {
        return null;
      }
      if (s == null) {
        return null;
      }
      if (s.properties != null) {
        s = s.properties.get(name);
        if (s == null) {
          return null;
        }
        path = Paths.child(path, name);
      } else if (s.hasAdditionalProperties) {
        s = s.additionalProperties;
        path = Paths.key(path, name);
      } else {
        return null;
      }
    }
    return path;
  }

  private static List<String> tokens(String p) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '.' || c == '[' || c == ']') {
        out.add(String.valueOf(c));
        i++;
      } else if (c == '\'') {
        int j = i + 1;
        while (j < p.length() && !(p.charAt(j) == '\'' && p.charAt(j - 1) != '\\')) {
          j++;
        }
        int end = Math.min(j + 1, p.length());
        out.add(p.substring(i, end));
        i = end;
      } else {
        int j = i;
        while (j < p.length() && ".[]".indexOf(p.charAt(j)) < 0) {
          j++;
        }
        out.add(p.substring(i, j));
        i = j;
      }
    }
    return out;
  }

  private static String unescape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (++i >= s.length()) {
        return null;
      }
      switch (s.charAt(i)) {
        case 'a' -> b.append('\u0007');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'v' -> b.append('\u000b');
        case '\'' -> b.append('\'');
        case '\\' -> b.append('\\');
        default -> {
          return null;
        }
      }
    }
    return b.toString();
  }
}
