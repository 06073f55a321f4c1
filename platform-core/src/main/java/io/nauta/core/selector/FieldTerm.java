package io.nauta.core.selector;

import tools.jackson.databind.JsonNode;

/** One term of a field selector: {@code field=value} or, negated, {@code field!=value}. */
record FieldTerm(SelectableField field, boolean negated, String value) {

  boolean matches(JsonNode object) {
    return field.read(object).equals(value) != negated;
  }

  /** The term in selector syntax, with the value escaped so that it parses back unchanged. */
  @Override
  public String toString() {
    return field.name() + (negated ? "!=" : "=") + escape(value);
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=");
  }
}
