package io.nauta.core.selector;

import io.nauta.core.errors.BadRequestException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the field selector syntax of Kubernetes' {@code fields.ParseSelector}: terms {@code
 * field=value}, {@code field==value} or {@code field!=value} separated by commas. A value may
 * contain {@code ,} {@code =} and {@code \} only escaped with a backslash; a field name has no
 * escapes, so a term splits at its first operator. Nothing is trimmed: Kubernetes does not either.
 */
final class FieldSelectorParser {

  private FieldSelectorParser() {}

  static List<FieldTerm> parse(String text, String kind) {
    List<FieldTerm> terms = new ArrayList<>();
    for (String term : splitTerms(text)) {
      if (!term.isEmpty()) {
        terms.add(term(text, term, kind));
      }
    }
    return terms;
  }

  // Splits at commas that are not escaped; escapes stay in place for unescape() to check.
  private static List<String> splitTerms(String text) {
    List<String> terms = new ArrayList<>();
    int start = 0;
    boolean escaped = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == ',') {
        terms.add(text.substring(start, i));
        start = i + 1;
      }
    }
    terms.add(text.substring(start));
    return terms;
  }

  private static FieldTerm term(String text, String term, String kind) {
    for (int i = 0; i < term.length(); i++) {
      // "!=" and "==" are tried before "=" so that no operator character is left in the value.
      for (String operator : List.of("!=", "==", "=")) {
        if (term.startsWith(operator, i)) {
          String name = term.substring(0, i);
          String value = unescape(term.substring(i + operator.length()));
          SelectableField field =
              SelectableFields.find(kind, name)
                  .orElseThrow(() -> new BadRequestException("field label not supported: " + name));
          return new FieldTerm(field, operator.equals("!="), value);
        }
      }
    }
    throw new BadRequestException(
        "invalid selector: '" + text + "'; can't understand '" + term + "'");
  }

  private static String unescape(String value) {
    StringBuilder result = new StringBuilder(value.length());
    boolean escaped = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (escaped) {
        if (c != '\\' && c != ',' && c != '=') {
          throw new BadRequestException("invalid field selector: invalid escape sequence: \\" + c);
        }
        result.append(c);
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == ',' || c == '=') {
        throw new BadRequestException(
            "invalid field selector: unescaped character in value: '" + c + "'");
      } else {
        result.append(c);
      }
    }
    if (escaped) {
      throw new BadRequestException("invalid field selector: invalid escape sequence: \\");
    }
    return result.toString();
  }
}
