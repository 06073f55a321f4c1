package io.nauta.core.selector;

import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.selector.LabelRequirement.Operator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A Kubernetes label selector: a conjunction of requirements on an object's labels, as written in
 * the {@code labelSelector} query parameter or held in a {@code spec.selector}. Immutable.
 */
public final class LabelSelector {

  private static final LabelSelector EVERYTHING = new LabelSelector(List.of(), false);
  private static final LabelSelector NOTHING = new LabelSelector(List.of(), true);

  // Sorted by key (stable, so same-key terms keep their written order), as Kubernetes does, so the
  // printed form does not depend on how the selector was written.
  private final List<LabelRequirement> requirements;
  private final boolean matchesNothing;

  private LabelSelector(List<LabelRequirement> requirements, boolean matchesNothing) {
    this.requirements =
        requirements.stream()
            .sorted(Comparator.comparing(LabelRequirement::key))
            .collect(Collectors.toUnmodifiableList());
    this.matchesNothing = matchesNothing;
  }

  /**
   * Parses Kubernetes' selector syntax, e.g. {@code app=web,tier in (front,back),!canary}. Null,
   * empty or all-whitespace text selects everything.
   *
   * @throws BadRequestException when the text is not a valid selector
   */
  public static LabelSelector parse(String text) {
    return text == null ? EVERYTHING : new LabelSelector(LabelSelectorParser.parse(text), false);
  }

  /** The selector that matches every object. */
  public static LabelSelector everything() {
    return EVERYTHING;
  }

  /** The selector that matches no object, for an absent {@code spec.selector}. */
  public static LabelSelector nothing() {
    return NOTHING;
  }

  /**
   * Converts an API object's selector with the rules of Kubernetes' {@code
   * LabelSelectorAsSelector}: a null selector matches nothing, one without terms matches
   * everything.
   *
   * @throws BadRequestException when a key, value or operator is invalid
   */
  public static LabelSelector fromModel(io.fabric8.kubernetes.api.model.LabelSelector selector) {
    if (selector == null) {
      return NOTHING;
    }
    List<LabelRequirement> requirements = new ArrayList<>();
    if (selector.getMatchLabels() != null) {
      selector
          .getMatchLabels()
          .forEach(
              (key, value) ->
                  requirements.add(
                      LabelRequirement.of(
                          key, Operator.EQUALS, List.of(Objects.requireNonNullElse(value, "")))));
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement expression : selector.getMatchExpressions()) {
        requirements.add(
            LabelRequirement.of(
                Objects.requireNonNullElse(expression.getKey(), ""),
                modelOperator(expression.getOperator()),
                modelValues(expression.getValues())));
      }
    }
    return requirements.isEmpty() ? EVERYTHING : new LabelSelector(requirements, false);
  }

  private static Operator modelOperator(String operator) {
    if (operator == null) {
      throw new BadRequestException("\"\" is not a valid label selector operator");
    }
    return switch (operator) {
      case "In" -> Operator.IN;
      case "NotIn" -> Operator.NOT_IN;
      case "Exists" -> Operator.EXISTS;
      case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
      default ->
          throw new BadRequestException(
              "\"" + operator + "\" is not a valid label selector operator");
    };
  }

  // A JSON null inside the list reads as Go's zero value, the empty string.
  private static List<String> modelValues(List<String> values) {
    if (values == null) {
      return List.of();
    }
    return values.stream().map(v -> Objects.requireNonNullElse(v, "")).toList();
  }

  /** True when the selector does not restrict the selection; false for {@link #nothing()}. */
  public boolean isEmpty() {
    return !matchesNothing && requirements.isEmpty();
  }

  /** Whether an object with these labels (null meaning none) is selected. */
  public boolean matches(Map<String, String> labels) {
    if (matchesNothing) {
      return false;
    }
    Map<String, String> actual = labels == null ? Map.of() : labels;
    return requirements.stream().allMatch(requirement -> requirement.matches(actual));
  }

  /**
   * The single value every selected object must carry under {@code key}, from a {@code key=value}
   * term or an {@code in} term with one value; lets a caller look the key up in an index instead of
   * scanning.
   */
  public Optional<String> requiredValue(String key) {
    return requirements.stream()
        .filter(r -> r.key().equals(key))
        .filter(r -> r.operator() == Operator.EQUALS || r.operator() == Operator.IN)
        .filter(r -> r.values().size() == 1)
        .map(r -> r.values().get(0))
        .findFirst();
  }

  /**
   * The canonical text of the selector, which {@link #parse} reads back to an equal selector: terms
   * sorted by key, {@code ==} written as {@code =}, set values sorted. {@link #nothing()} has no
   * such text; it prints as {@code <nothing>}, which parse rejects rather than reading it as
   * everything.
   */
  @Override
  public String toString() {
    if (matchesNothing) {
      return "<nothing>";
    }
    return requirements.stream().map(LabelRequirement::toString).collect(Collectors.joining(","));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LabelSelector that
        && matchesNothing == that.matchesNothing
        && requirements.equals(that.requirements);
  }

  @Override
  public int hashCode() {
    return Objects.hash(requirements, matchesNothing);
  }
}
