package io.nauta.core.selector;

import io.nauta.core.errors.BadRequestException;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * A Kubernetes field selector, as written in the {@code fieldSelector} query parameter: a
 * conjunction of equality and inequality tests on fields of one kind's objects, read from the
 * objects' JSON. Immutable.
 */
public final class FieldSelector {

  private static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  // Sorted by their text so that the printed form does not depend on the order written.
  private final List<FieldTerm> terms;

  private FieldSelector(List<FieldTerm> terms) {
    this.terms =
        terms.stream()
            .sorted(Comparator.comparing(FieldTerm::toString))
            .collect(Collectors.toUnmodifiableList());
  }

  /**
   * Parses a selector on objects of {@code kind} (e.g. {@code Pod}), such as {@code
   * spec.nodeName=node-1,status.phase!=Succeeded}. Null or empty text selects everything.
   *
   * @throws BadRequestException when the text is malformed or names a field the kind does not
   *     support ({@code field label not supported: <field>})
   */
  public static FieldSelector parse(String text, String kind) {
    if (text == null || text.isEmpty()) {
      return EVERYTHING;
    }
    return new FieldSelector(FieldSelectorParser.parse(text, kind));
  }

  /**
   * Parses a selector on objects of the served {@code type}: by the kind's field names, or, for
   * {@code events.k8s.io} Events, by that API's names for the core Event's fields.
   */
  public static FieldSelector parseServed(String text, ResourceType type) {
    boolean eventsV1 =
        type.group().equals(BuiltInResources.EVENTS_GROUP) && type.kind().equals("Event");
    return parse(text, eventsV1 ? SelectableFields.EVENTS_V1 : type.kind());
  }

  /** The selector that matches every object. */
  public static FieldSelector everything() {
    return EVERYTHING;
  }

  /** True when the selector does not restrict the selection. */
  public boolean isEmpty() {
    return terms.isEmpty();
  }

  /**
   * Whether the object, as a JSON tree, is selected. A field the object lacks reads as its zero
   * value ("" for strings), so {@code spec.nodeName=} selects pods not yet scheduled.
   */
  public boolean matches(JsonNode object) {
    return terms.stream().allMatch(term -> term.matches(object));
  }

  /**
   * The value every selected object must have in {@code field}, from a {@code field=value} term.
   */
  public Optional<String> requiredValue(String field) {
    return terms.stream()
        .filter(term -> !term.negated() && term.field().name().equals(field))
        .map(FieldTerm::value)
        .findFirst();
  }

  /** The canonical text, which {@link #parse} reads back to an equal selector. */
  @Override
  public String toString() {
    return terms.stream().map(FieldTerm::toString).collect(Collectors.joining(","));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FieldSelector that && terms.equals(that.terms);
  }

  @Override
  public int hashCode() {
    return Objects.hash(terms);
  }
}
