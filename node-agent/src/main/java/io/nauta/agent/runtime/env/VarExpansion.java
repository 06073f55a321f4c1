package io.nauta.agent.runtime.env;

import java.util.function.Function;

/**
 * Kubernetes' {@code $(VAR)} expansion (third_party/forked/golang/expansion): a reference to a
 * variable that is defined is replaced by its value, one that is not stays as written, {@code $$}
 * is an escaped {@code $}, and any other {@code $} is kept.
 */
public final class VarExpansion {

  private VarExpansion() {}

  /**
   * @param lookup a variable's value, or null if it is not defined
   */
  public static String expand(String input, Function<String, String> lookup) {
    StringBuilder out = new StringBuilder();
    int checkpoint = 0;
    for (int cursor = 0; cursor < input.length(); cursor++) {
      if (input.charAt(cursor) != '$' || cursor + 1 >= input.length()) {
        continue;
      }
      out.append(input, checkpoint, cursor);
      char next = input.charAt(cursor + 1);
      int advance = 1;
      if (next == '$') {
        out.append('$');
      } else if (next == '(') {
        int close = input.indexOf(')', cursor + 2);
        if (close < 0) {
          // An incomplete reference is kept as written.
          out.append("$(");
        } else {
          String name = input.substring(cursor + 2, close);
          String value = lookup.apply(name);
          out.append(value != null ? value : "$(" + name + ")");
          advance = close - cursor;
        }
      } else {
        out.append('$').append(next);
      }
      cursor += advance;
      checkpoint = cursor + 1;
    }
    return out.append(input, checkpoint, input.length()).toString();
  }
}
