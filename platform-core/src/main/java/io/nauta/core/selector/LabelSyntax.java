package io.nauta.core.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Validates label keys (Kubernetes qualified names) and label values. The messages are Kubernetes'
 * own (k8s.io/apimachinery/pkg/util/validation), so clients that show or match them see the same
 * text as from a real API server.
 */
final class LabelSyntax {

  private static final int NAME_MAX_LENGTH = 63;
  private static final int PREFIX_MAX_LENGTH = 253;

  private static final String NAME_FORMAT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  private static final String NAME_MESSAGE =
      "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an"
          + " alphanumeric character";
  private static final Pattern NAME = Pattern.compile(NAME_FORMAT);

  private static final String VALUE_FORMAT = "(" + NAME_FORMAT + ")?";
  private static final String VALUE_MESSAGE =
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or"
          + " '.', and must start and end with an alphanumeric character";
  private static final Pattern VALUE = Pattern.compile(VALUE_FORMAT);

  private static final String DNS_LABEL_FORMAT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final String SUBDOMAIN_FORMAT =
      DNS_LABEL_FORMAT + "(\\." + DNS_LABEL_FORMAT + ")*";
  private static final String SUBDOMAIN_MESSAGE =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or"
          + " '.', and must start and end with an alphanumeric character";
  private static final Pattern SUBDOMAIN = Pattern.compile(SUBDOMAIN_FORMAT);

  private LabelSyntax() {}

  /** Problems with {@code key} as a label key; empty when it is valid. */
  static List<String> keyErrors(String key) {
    List<String> errors = new ArrayList<>();
    String[] parts = key.split("/", -1);
    String name;
    if (parts.length == 1) {
      name = parts[0];
    } else if (parts.length == 2) {
      String prefix = parts[0];
      name = parts[1];
      if (prefix.isEmpty()) {
        errors.add("prefix part must be non-empty");
      } else {
        if (prefix.length() > PREFIX_MAX_LENGTH) {
          errors.add("prefix part " + maxLength(PREFIX_MAX_LENGTH));
        }
        if (!SUBDOMAIN.matcher(prefix).matches()) {
          errors.add("prefix part " + regex(SUBDOMAIN_MESSAGE, SUBDOMAIN_FORMAT, "example.com"));
        }
      }
    } else {
      errors.add(
          "a qualified name "
              + regex(NAME_MESSAGE, NAME_FORMAT, "MyName", "my.name", "123-abc")
              + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      return errors;
    }
    if (name.isEmpty()) {
      errors.add("name part must be non-empty");
    } else if (name.length() > NAME_MAX_LENGTH) {
      errors.add("name part " + maxLength(NAME_MAX_LENGTH));
    }
    if (!NAME.matcher(name).matches()) {
      errors.add("name part " + regex(NAME_MESSAGE, NAME_FORMAT, "MyName", "my.name", "123-abc"));
    }
    return errors;
  }

  /** Problems with {@code value} as a label value; empty when it is valid. */
  static List<String> valueErrors(String value) {
    List<String> errors = new ArrayList<>();
    if (value.length() > NAME_MAX_LENGTH) {
      errors.add(maxLength(NAME_MAX_LENGTH));
    }
    if (!VALUE.matcher(value).matches()) {
      errors.add(regex(VALUE_MESSAGE, VALUE_FORMAT, "MyValue", "my_value", "12345"));
    }
    return errors;
  }

  private static String maxLength(int length) {
    return "must be no more than " + length + " characters";
  }

  // Kubernetes' RegexError, double space before "or" included.
  private static String regex(String message, String format, String... examples) {
    StringBuilder text = new StringBuilder(message).append(" (e.g. ");
    for (int i = 0; i < examples.length; i++) {
      if (i > 0) {
        text.append(" or ");
      }
      text.append('\'').append(examples[i]).append("', ");
    }
    return text.append("regex used for validation is '").append(format).append("')").toString();
  }
}
