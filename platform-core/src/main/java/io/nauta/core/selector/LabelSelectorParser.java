package io.nauta.core.selector;

import io.nauta.core.errors.BadRequestException;
import io.nauta.core.selector.LabelRequirement.Operator;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the label selector syntax of Kubernetes' {@code labels.Parse}:
 *
 * <pre>
 *   selector    ::= requirement | requirement "," selector
 *   requirement ::= ["!"] KEY [ ("in" | "notin") "(" values ")" | ("=" | "==" | "!=" | "&gt;" | "&lt;") VALUE ]
 *   values      ::= VALUE | VALUE "," values
 * </pre>
 *
 * It tokenizes like Kubernetes (whitespace separates tokens, a word runs up to whitespace or one of
 * {@code = ! ( ) , > <}) and reports errors in Kubernetes' words, so kubectl users see familiar
 * messages. {@code in} and {@code notin} are keywords only where an operator is expected: {@code in
 * in (in)} is a valid requirement on the key {@code in}.
 */
final class LabelSelectorParser {

  private enum Kind {
    WORD,
    NOT,
    EQUALS,
    DOUBLE_EQUALS,
    NOT_EQUALS,
    GREATER_THAN,
    LESS_THAN,
    OPEN_PAREN,
    CLOSE_PAREN,
    COMMA,
    END
  }

  private record Token(Kind kind, String text) {}

  private final List<Token> tokens;
  private int position;

  private LabelSelectorParser(String text) {
    this.tokens = tokenize(text);
  }

  /** The requirements in {@code text}, in the order written. */
  static List<LabelRequirement> parse(String text) {
    return new LabelSelectorParser(text).selector();
  }

  private List<LabelRequirement> selector() {
    List<LabelRequirement> requirements = new ArrayList<>();
    while (true) {
      Token next = peek();
      switch (next.kind()) {
        case END -> {
          return requirements;
        }
        case WORD, NOT -> {
          requirements.add(requirementOrFail());
          Token separator = take();
          if (separator.kind() == Kind.END) {
            return requirements;
          }
          if (separator.kind() != Kind.COMMA) {
            throw error(separator, "',' or 'end of string'");
          }
          Token afterComma = peek();
          if (afterComma.kind() != Kind.WORD && afterComma.kind() != Kind.NOT) {
            throw error(afterComma, "identifier after ','");
          }
        }
        default -> throw error(next, "!, identifier, or 'end of string'");
      }
    }
  }

  private LabelRequirement requirementOrFail() {
    try {
      return requirement();
    } catch (BadRequestException e) {
      throw new BadRequestException("unable to parse requirement: " + e.getMessage());
    }
  }

  private LabelRequirement requirement() {
    boolean negated = peek().kind() == Kind.NOT;
    if (negated) {
      take();
    }
    Token key = take();
    if (key.kind() != Kind.WORD) {
      throw error(key, "identifier");
    }
    LabelRequirement.checkKey(key.text());
    // "!key" takes no operator; whatever follows it is the caller's to reject.
    if (negated) {
      return LabelRequirement.of(key.text(), Operator.DOES_NOT_EXIST, List.of());
    }
    Kind after = peek().kind();
    if (after == Kind.END || after == Kind.COMMA) {
      return LabelRequirement.of(key.text(), Operator.EXISTS, List.of());
    }
    Operator operator = operator();
    List<String> values =
        operator == Operator.IN || operator == Operator.NOT_IN ? valueSet() : List.of(value());
    return LabelRequirement.of(key.text(), operator, values);
  }

  private Operator operator() {
    Token token = take();
    return switch (token.kind()) {
      case EQUALS, DOUBLE_EQUALS -> Operator.EQUALS;
      case NOT_EQUALS -> Operator.NOT_EQUALS;
      case GREATER_THAN -> Operator.GREATER_THAN;
      case LESS_THAN -> Operator.LESS_THAN;
      case WORD -> {
        if (token.text().equals("in")) {
          yield Operator.IN;
        }
        if (token.text().equals("notin")) {
          yield Operator.NOT_IN;
        }
        throw error(token, "in, notin, =, ==, !=, gt, lt");
      }
      default -> throw error(token, "in, notin, =, ==, !=, gt, lt");
    };
  }

  /** The value after {@code =}, {@code !=}, {@code >} or {@code <}; nothing written is "". */
  private String value() {
    Kind next = peek().kind();
    if (next == Kind.END || next == Kind.COMMA) {
      return "";
    }
    Token token = take();
    if (token.kind() != Kind.WORD) {
      throw error(token, "identifier");
    }
    return token.text();
  }

  /**
   * The parenthesised list after {@code in} or {@code notin}. As in Kubernetes, a missing value
   * between commas or parentheses is the empty string: {@code ()} and {@code (a,)} both hold "".
   */
  private List<String> valueSet() {
    Token open = take();
    if (open.kind() != Kind.OPEN_PAREN) {
      throw error(open, "'('");
    }
    List<String> values = new ArrayList<>();
    boolean expectValue = true;
    while (true) {
      Token token = take();
      switch (token.kind()) {
        case WORD -> {
          if (!expectValue) {
            throw error(token, "',' or ')'");
          }
          values.add(token.text());
          expectValue = false;
        }
        case COMMA -> {
          if (expectValue) {
            values.add("");
          }
          expectValue = true;
        }
        case CLOSE_PAREN -> {
          if (expectValue) {
            values.add("");
          }
          return values;
        }
        default -> throw error(token, expectValue ? "',', ')' or identifier" : "',' or ')'");
      }
    }
  }

  private Token peek() {
    return tokens.get(position);
  }

  private Token take() {
    Token token = tokens.get(position);
    if (token.kind() != Kind.END) {
      position++;
    }
    return token;
  }

  private static BadRequestException error(Token found, String expected) {
    return new BadRequestException("found '" + found.text() + "', expected: " + expected);
  }

  private static List<Token> tokenize(String text) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (true) {
      while (i < text.length() && isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i == text.length()) {
        tokens.add(new Token(Kind.END, ""));
        return tokens;
      }
      char c = text.charAt(i);
      if (isSymbol(c)) {
        String two = text.startsWith("!=", i) ? "!=" : text.startsWith("==", i) ? "==" : null;
        if (two != null) {
          tokens.add(new Token(two.equals("!=") ? Kind.NOT_EQUALS : Kind.DOUBLE_EQUALS, two));
          i += 2;
        } else {
          tokens.add(new Token(symbol(c), String.valueOf(c)));
          i++;
        }
      } else {
        int start = i;
        while (i < text.length() && !isSymbol(text.charAt(i)) && !isWhitespace(text.charAt(i))) {
          i++;
        }
        tokens.add(new Token(Kind.WORD, text.substring(start, i)));
      }
    }
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static boolean isSymbol(char c) {
    return "=!(),<>".indexOf(c) >= 0;
  }

  private static Kind symbol(char c) {
    return switch (c) {
      case '=' -> Kind.EQUALS;
      case '!' -> Kind.NOT;
      case '(' -> Kind.OPEN_PAREN;
      case ')' -> Kind.CLOSE_PAREN;
      case ',' -> Kind.COMMA;
      case '<' -> Kind.LESS_THAN;
      default -> Kind.GREATER_THAN;
    };
  }
}
