package io.nauta.core.selector;

import io.nauta.core.errors.BadRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One term of a label selector: a key, an operator and the values it relates them to. Values are
 * kept sorted and without duplicates, as Kubernetes keeps them, so that equal requirements print
 * and compare alike.
 */
record LabelRequirement(String key, Operator operator, List<String> values) {

  enum Operator {
    IN,
    NOT_IN,
    EQUALS,
    NOT_EQUALS,
    GREATER_THAN,
    LESS_THAN,
    EXISTS,
    DOES_NOT_EXIST
  }

  /**
   * Builds a requirement after the checks of Kubernetes' {@code NewRequirement}; the message lists
   * every problem found, with field paths as Kubernetes writes them.
   */
  static LabelRequirement of(String key, Operator operator, List<String> written) {
    List<String> values = List.copyOf(new TreeSet<>(written));
    List<String> errors = new ArrayList<>();
    keyError(key).ifPresent(errors::add);
    switch (operator) {
      case IN, NOT_IN -> {
        if (values.isEmpty()) {
          errors.add(
              invalid("values", values, "for 'in', 'notin' operators, values set can't be empty"));
        }
      }
      case EQUALS, NOT_EQUALS -> {
        if (values.size() != 1) {
          errors.add(
              invalid("values", values, "exact-match compatibility requires one single value"));
        }
      }
      case EXISTS, DOES_NOT_EXIST -> {
        if (!values.isEmpty()) {
          errors.add(
              invalid("values", values, "values set must be empty for exists and does not exist"));
        }
      }
      case GREATER_THAN, LESS_THAN -> {
        if (values.size() != 1) {
          errors.add(
              invalid("values", values, "for 'Gt', 'Lt' operators, exactly one value is required"));
        }
        for (int i = 0; i < values.size(); i++) {
          if (parseInteger(values.get(i)) == null) {
            errors.add(
                invalid(
                    "values[" + i + "]",
                    values.get(i),
                    "for 'Gt', 'Lt' operators, the value must be an integer"));
          }
        }
      }
    }
    for (int i = 0; i < values.size(); i++) {
      List<String> valueErrors = LabelSyntax.valueErrors(values.get(i));
      if (!valueErrors.isEmpty()) {
        errors.add(
            invalid(
                "values[" + i + "][" + key + "]", values.get(i), String.join("; ", valueErrors)));
      }
    }
    if (!errors.isEmpty()) {
      // Kubernetes' aggregate error: one message alone, several in brackets.
      throw new BadRequestException(
          errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]");
    }
    return new LabelRequirement(key, operator, values);
  }

  /** Rejects a key that is not a qualified name, before the rest of a requirement is read. */
  static void checkKey(String key) {
    keyError(key)
        .ifPresent(
            error -> {
              throw new BadRequestException(error);
            });
  }

  private static Optional<String> keyError(String key) {
    List<String> problems = LabelSyntax.keyErrors(key);
    return problems.isEmpty()
        ? Optional.empty()
        : Optional.of(invalid("key", key, String.join("; ", problems)));
  }

  boolean matches(Map<String, String> labels) {
    String value = labels.get(key);
    boolean present = labels.containsKey(key);
    return switch (operator) {
      case IN, EQUALS -> present && values.contains(value);
      case NOT_IN, NOT_EQUALS -> !present || !values.contains(value);
      case EXISTS -> present;
      case DOES_NOT_EXIST -> !present;
      case GREATER_THAN, LESS_THAN -> present && compares(value);
    };
  }

  private boolean compares(String value) {
    Long actual = parseInteger(value);
    if (actual == null) {
      return false;
    }
    long bound = parseInteger(values.get(0));
    return operator == Operator.GREATER_THAN ? actual > bound : actual < bound;
  }

  private static Long parseInteger(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String invalid(String path, Object value, String detail) {
    String shown = value instanceof String text ? quote(text) : value.toString();
    return path + ": Invalid value: " + shown + ": " + detail;
  }

  private static String quote(String text) {
    return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /** The requirement in the syntax {@link LabelSelectorParser} reads. */
  @Override
  public String toString() {
    return switch (operator) {
      case EXISTS -> key;
      case DOES_NOT_EXIST -> "!" + key;
      case EQUALS -> key + "=" + values.get(0);
      case NOT_EQUALS -> key + "!=" + values.get(0);
      case GREATER_THAN -> key + ">" + values.get(0);
      case LESS_THAN -> key + "<" + values.get(0);
      case IN -> key + " in (" + String.join(",", values) + ")";
      case NOT_IN -> key + " notin (" + String.join(",", values) + ")";
    };
  }
}
