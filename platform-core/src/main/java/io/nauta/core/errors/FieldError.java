package io.nauta.core.errors;

import io.fabric8.kubernetes.api.model.StatusCause;

/**
 * One validation failure on one field, shaped like Kubernetes' {@code field.Error}: a type that
 * becomes the cause's {@code reason} ({@code FieldValueRequired}, {@code FieldValueInvalid}, …),
 * the field path, the bad value and a detail.
 */
public record FieldError(Type type, String field, Object value, String detail) {

  /** Kubernetes' {@code field.ErrorType}s, with the text each prints. */
  public enum Type {
    REQUIRED("FieldValueRequired", "Required value"),
    INVALID("FieldValueInvalid", "Invalid value"),
    DUPLICATE("FieldValueDuplicate", "Duplicate value"),
    NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
    FORBIDDEN("FieldValueForbidden", "Forbidden"),
    TOO_LONG("FieldValueTooLong", "Too long"),
    TOO_MANY("FieldValueTooMany", "Too many"),
    /** Kubernetes' {@code TypeInvalid}: printed like Invalid, with its own cause reason. */
    TYPE_INVALID("FieldValueTypeInvalid", "Invalid value"),
    IMMUTABLE("FieldValueInvalid", "Invalid value"),
    /** Invalid with Kubernetes' {@code field.OmitValueType{}}: printed without a value. */
    INVALID_OMITTED("FieldValueInvalid", "Invalid value");

    final String reason;
    final String text;

    Type(String reason, String text) {
      this.reason = reason;
      this.text = text;
    }
  }

  public static FieldError required(String field, String detail) {
    return new FieldError(Type.REQUIRED, field, null, detail);
  }

  public static FieldError invalid(String field, Object value, String detail) {
    return new FieldError(Type.INVALID, field, value, detail);
  }

  /** Invalid, printed without the value (upstream's {@code field.OmitValueType{}}). */
  public static FieldError invalidOmitted(String field, String detail) {
    return new FieldError(Type.INVALID_OMITTED, field, null, detail);
  }

  public static FieldError duplicate(String field, Object value) {
    return new FieldError(Type.DUPLICATE, field, value, null);
  }

  public static FieldError notSupported(String field, Object value, String detail) {
    return new FieldError(Type.NOT_SUPPORTED, field, value, detail);
  }

  public static FieldError forbidden(String field, String detail) {
    return new FieldError(Type.FORBIDDEN, field, null, detail);
  }

  /** Kubernetes' message for changing an immutable field. */
  public static FieldError immutable(String field, Object value) {
    return new FieldError(Type.IMMUTABLE, field, value, "field is immutable");
  }

  /** {@code spec.containers[0].image: Required value}, as Kubernetes prints a field error. */
  public String message() {
    return field + ": " + body();
  }

  /** The message without the field, as Kubernetes puts it in a {@code StatusCause}. */
  public String body() {
    StringBuilder s = new StringBuilder(type.text);
    if ((type == Type.INVALID
        || type == Type.IMMUTABLE
        || type == Type.DUPLICATE
        || type == Type.NOT_SUPPORTED
        || type == Type.TOO_MANY
        || type == Type.TYPE_INVALID)) {
      s.append(": ").append(quoted(value));
    }
    if (detail != null && !detail.isEmpty()) {
      s.append(": ").append(detail);
    }
    return s.toString();
  }

  private static String quoted(Object v) {
    if (v == null) {
      return "null";
    }
    return v instanceof String str ? "\"" + str + "\"" : String.valueOf(v);
  }

  StatusCause toCause() {
    return new StatusCause(field, body(), type.reason);
  }
}
