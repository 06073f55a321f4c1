package io.nauta.core.selector;

import io.nauta.core.validation.NameValidation;
import java.util.List;

/**
 * Validates label keys (Kubernetes qualified names) and label values in selectors, with the same
 * rules and messages as object validation, so a selector and a label are judged alike.
 */
final class LabelSyntax {

  private LabelSyntax() {}

  /** Problems with {@code key} as a label key; empty when it is valid. */
  static List<String> keyErrors(String key) {
    return NameValidation.qualifiedName(key);
  }

  /** Problems with {@code value} as a label value; empty when it is valid. */
  static List<String> valueErrors(String value) {
    return NameValidation.labelValue(value);
  }
}
