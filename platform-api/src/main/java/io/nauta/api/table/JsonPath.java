package io.nauta.api.table;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The part of Kubernetes' JSONPath (k8s.io/client-go/util/jsonpath) that printer columns use, with
 * missing keys allowed as the CRD table convertor allows them: fields ({@code .spec.replicas},
 * {@code ['a.b']}, dots escaped as {@code \.}), {@code *}, array indexes and slices ({@code [0]},
 * {@code [-1]}, {@code [1:3]}, {@code [*]}), recursive descent ({@code ..name}) and filters ({@code
 * [?(@.type=="Ready")]}, {@code [?(@.ready)]}, with {@code == != < > <= >=}).
 *
 * <p>Unions ({@code [0,1]}) and the template's text and functions are not part of it: {@link
 * #parse} refuses them, as it refuses malformed paths.
 */
public final class JsonPath {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** One step from a list of values to the next. */
  private interface Step {}

  private record Field(String name) implements Step {}

  private record Wildcard() implements Step {}

  private record Recursive() implements Step {}

  /** {@code [start:end:step]}; a null bound is absent ({@code [*]} has none). */
  private record Slice(Integer start, Integer end, Integer step, boolean single) implements Step {}

  /** {@code [?(@.left op right)]}; {@code op} is null for an existence test. */
  private record Filter(List<Step> left, String op, List<Step> rightPath, JsonNode rightValue)
      implements Step {}

  private final List<Step> steps;

  private JsonPath(List<Step> steps) {
    this.steps = steps;
  }

  /** Thrown for a path that Kubernetes' parser refuses too, or that this subset does not know. */
  public static final class ParseException extends RuntimeException {
    ParseException(String message) {
      super(message);
    }
  }

  /** Thrown when a filter compares values of different kinds, which fails the whole path. */
  static final class EvalException extends RuntimeException {
    EvalException(String message) {
      super(message);
    }
  }

  /**
   * @param path what goes inside {@code {}} in a kubectl template, e.g. {@code .spec.replicas}
   */
  public static JsonPath parse(String path) {
    return new JsonPath(new Parser(path).steps(false));
  }

  /**
   * Every value the path reaches in {@code root}, in document order; empty when it reaches nothing.
   *
   * @throws EvalException when a filter compares values of different kinds
   */
  public List<JsonNode> find(JsonNode root) {
    return eval(steps, List.of(root), root);
  }

  private static List<JsonNode> eval(List<Step> steps, List<JsonNode> input, JsonNode root) {
    List<JsonNode> values = input;
    for (Step step : steps) {
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode v : values) {
        apply(step, v, next, root);
      }
      values = next;
    }
    return values;
  }

  private static void apply(Step step, JsonNode v, List<JsonNode> out, JsonNode root) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return;
    }
    if (step instanceof Field f) {
      JsonNode child = v.isObject() ? v.get(f.name()) : null;
      if (child != null) {
        out.add(child);
      }
    } else if (step instanceof Wildcard) {
      children(v, out);
    } else if (step instanceof Recursive) {
      descendants(v, out);
    } else if (step instanceof Slice s) {
      slice(s, v, out);
    } else if (step instanceof Filter f) {
      filter(f, v, out, root);
    }
  }

  private static void children(JsonNode v, List<JsonNode> out) {
    if (v.isObject()) {
      Map<String, JsonNode> sorted = new TreeMap<>();
      v.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
      out.addAll(sorted.values());
    } else if (v.isArray()) {
      v.forEach(out::add);
    }
  }

  /** A container with children, then the same for each child (jsonpath's evalRecursive). */
  private static void descendants(JsonNode v, List<JsonNode> out) {
    List<JsonNode> kids = new ArrayList<>();
    children(v, kids);
    if (!kids.isEmpty()) {
      out.add(v);
      for (JsonNode k : kids) {
        descendants(k, out);
      }
    }
  }

  private static void slice(Slice s, JsonNode v, List<JsonNode> out) {
    if (!v.isArray()) {
      return;
    }
    int len = v.size();
    int start = s.start() == null ? 0 : s.start();
    if (start < 0) {
      start += len;
    }
    if (s.single()) {
      if (start >= 0 && start < len) {
        out.add(v.get(start));
      }
      return;
    }
    int end = s.end() == null ? len : s.end() < 0 ? s.end() + len : s.end();
    int step = s.step() == null || s.step() <= 0 ? 1 : s.step();
    for (int i = Math.max(0, start); i < Math.min(end, len); i += step) {
      out.add(v.get(i));
    }
  }

  private static void filter(Filter f, JsonNode v, List<JsonNode> out, JsonNode root) {
    if (!v.isArray()) {
      return;
    }
    for (JsonNode item : v) {
      List<JsonNode> lefts = eval(f.left(), List.of(item), root);
      if (f.op() == null) {
        if (!lefts.isEmpty()) {
          out.add(item);
        }
        continue;
      }
      if (lefts.isEmpty()) {
        continue;
      }
      if (lefts.size() > 1) {
        throw new EvalException("can only compare one element at a time");
      }
      JsonNode right = f.rightValue();
      if (right == null) {
        List<JsonNode> rights = eval(f.rightPath(), List.of(item), root);
        if (rights.isEmpty()) {
          continue;
        }
        right = rights.get(0);
      }
      if (Comparison.holds(f.op(), lefts.get(0), right)) {
        out.add(item);
      }
    }
  }

  /** text/template's comparisons as jsonpath uses them: same kinds only. */
  private static final class Comparison {
    private Comparison() {}

    static boolean holds(String op, JsonNode a, JsonNode b) {
      int kind = kind(a);
      if (kind != kind(b) || kind < 0) {
        throw new EvalException("incompatible types for comparison");
      }
      if (op.equals("==") || op.equals("!=")) {
        boolean eq =
            switch (kind) {
              case BOOL -> a.asBoolean() == b.asBoolean();
              case INT -> a.longValue() == b.longValue();
              case FLOAT -> a.doubleValue() == b.doubleValue();
              default -> a.asString().equals(b.asString());
            };
        return op.equals("==") == eq;
      }
      int c =
          switch (kind) {
            case INT -> Long.compare(a.longValue(), b.longValue());
            case FLOAT -> Double.compare(a.doubleValue(), b.doubleValue());
            case STRING -> a.asString().compareTo(b.asString());
            default -> throw new EvalException("invalid type for comparison");
          };
      return switch (op) {
        case "<" -> c < 0;
        case ">" -> c > 0;
        case "<=" -> c <= 0;
        default -> c >= 0;
      };
    }

    private static final int BOOL = 0;
    private static final int INT = 1;
    private static final int FLOAT = 2;
    private static final int STRING = 3;

    private static int kind(JsonNode n) {
      if (n.isBoolean()) {
        return BOOL;
      } else if (n.isIntegralNumber()) {
        return INT;
      } else if (n.isNumber()) {
        return FLOAT;
      } else if (n.isString()) {
        return STRING;
      }
      return -1;
    }
  }

  /** A recursive-descent parser over the path's characters. */
  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    /**
     * @param inFilter whether the path is a filter operand, which ends at an operator or {@code )}
     */
    List<Step> steps(boolean inFilter) {
      List<Step> out = new ArrayList<>();
      if (!inFilter) {
        skipSpaces();
        if (peek() == '$') {
          pos++;
        }
      }
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == '.') {
          pos++;
          boolean recursive = peek() == '.';
          if (recursive) {
            pos++;
            out.add(new Recursive());
          }
          String name = fieldName();
          if (name.isEmpty() && recursive && peek() != '[') {
            throw new ParseException("invalid recursive descent in " + s);
          }
          if (!name.isEmpty()) {
            out.add(name.equals("*") ? new Wildcard() : new Field(name));
          }
        } else if (c == '[') {
          out.add(bracket());
        } else if (inFilter && (c == ')' || c == ' ' || "=!<>".indexOf(c) >= 0)) {
          break;
        } else if (Character.isWhitespace(c)) {
          skipSpaces();
          if (pos < s.length()) {
            throw new ParseException("unexpected text after path: " + s.substring(pos));
          }
        } else {
          throw new ParseException("unrecognized character in action: " + c);
        }
      }
      return out;
    }

    /** A field name up to the next unescaped terminator; {@code \x} stands for {@code x}. */
    private String fieldName() {
      StringBuilder b = new StringBuilder();
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == '\\' && pos + 1 < s.length()) {
          b.append(s.charAt(pos + 1));
          pos += 2;
          continue;
        }
        if (Character.isWhitespace(c) || ".,[]$@{}()=!<>".indexOf(c) >= 0) {
          break;
        }
        b.append(c);
        pos++;
      }
      return b.toString();
    }

    private Step bracket() {
      int close = matching(pos);
      String inner = s.substring(pos + 1, close).trim();
      pos = close + 1;
      if (inner.startsWith("?")) {
        return filter(inner);
      }
      if (inner.length() >= 2
          && (inner.charAt(0) == '\'' || inner.charAt(0) == '"')
          && inner.charAt(inner.length() - 1) == inner.charAt(0)) {
        String key = inner.substring(1, inner.length() - 1);
        if (key.indexOf(inner.charAt(0)) >= 0 || key.contains(",")) {
          throw new ParseException("unions are not supported: [" + inner + "]");
        }
        return new Field(key);
      }
      if (inner.equals("*")) {
        return new Slice(null, null, null, false);
      }
      if (inner.contains(",")) {
        throw new ParseException("unions are not supported: [" + inner + "]");
      }
      String[] parts = inner.split(":", -1);
      if (parts.length > 3) {
        throw new ParseException("invalid array index " + inner);
      }
      Integer[] n = new Integer[3];
      for (int i = 0; i < parts.length; i++) {
        String p = parts[i].trim();
        if (!p.isEmpty()) {
          try {
            n[i] = Integer.parseInt(p);
          } catch (NumberFormatException e) {
            throw new ParseException("invalid array index " + inner);
          }
        }
      }
      if (parts.length == 1 && n[0] == null) {
        throw new ParseException("invalid array index " + inner);
      }
      return new Slice(n[0], n[1], n[2], parts.length == 1);
    }

    /** The index of the {@code ]} closing the bracket at {@code open}, skipping quoted text. */
    private int matching(int open) {
      char quote = 0;
      int depth = 0;
      for (int i = open; i < s.length(); i++) {
        char c = s.charAt(i);
        if (quote != 0) {
          if (c == quote) {
            quote = 0;
          }
        } else if (c == '\'' || c == '"') {
          quote = c;
        } else if (c == '[') {
          depth++;
        } else if (c == ']' && --depth == 0) {
          return i;
        }
      }
      throw new ParseException("unterminated array");
    }

    /** {@code ?(@.a.b == 'x')}, {@code ?(@.a)}. */
    private static Filter filter(String inner) {
      String body = inner.substring(1).trim();
      if (!body.startsWith("(") || !body.endsWith(")")) {
        throw new ParseException("unterminated filter");
      }
      Parser p = new Parser(body.substring(1, body.length() - 1).trim());
      List<Step> left = p.operand();
      p.skipSpaces();
      if (p.pos == p.s.length()) {
        return new Filter(left, null, null, null);
      }
      int opStart = p.pos;
      while (p.pos < p.s.length() && "=!<>".indexOf(p.s.charAt(p.pos)) >= 0) {
        p.pos++;
      }
      String op = p.s.substring(opStart, p.pos);
      if (!List.of("==", "!=", "<", ">", "<=", ">=").contains(op)) {
        throw new ParseException("unrecognized filter operator " + op);
      }
      p.skipSpaces();
      String rest = p.s.substring(p.pos).trim();
      if (rest.startsWith("@") || rest.startsWith("$")) {
        p.pos = p.s.length() - rest.length();
        return new Filter(left, op, p.operand(), null);
      }
      return new Filter(left, op, null, literal(rest));
    }

    /** {@code @.a.b} (relative to the item) as a path. */
    private List<Step> operand() {
      skipSpaces();
      if (peek() != '@' && peek() != '$') {
        throw new ParseException("a filter compares @ paths: " + s);
      }
      pos++;
      List<Step> steps = steps(true);
      skipSpaces();
      if (pos < s.length() && "=!<>".indexOf(s.charAt(pos)) < 0) {
        throw new ParseException("unexpected text in filter: " + s.substring(pos));
      }
      return steps;
    }

    private static JsonNode literal(String text) {
      if (text.length() >= 2
          && (text.charAt(0) == '\'' || text.charAt(0) == '"')
          && text.charAt(text.length() - 1) == text.charAt(0)) {
        return JSON.stringNode(text.substring(1, text.length() - 1));
      }
      if (text.equals("true") || text.equals("false")) {
        return JSON.booleanNode(Boolean.parseBoolean(text));
      }
      try {
        return text.contains(".")
            ? JSON.numberNode(Double.parseDouble(text))
            : JSON.numberNode(Long.parseLong(text));
      } catch (NumberFormatException e) {
        throw new ParseException("unrecognized filter value " + text);
      }
    }

    private char peek() {
      return pos < s.length() ? s.charAt(pos) : 0;
    }

    private void skipSpaces() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }
  }
}
