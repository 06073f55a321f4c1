package io.nauta.core.errors;

/** HTTP 409, reason {@code AlreadyExists}: a create of a name that is taken. */
public class AlreadyExistsException extends ApiException {

  public AlreadyExistsException(ResourceRef target) {
    super(target.describe() + " already exists", target);
  }

  @Override
  public int code() {
    return 409;
  }

  @Override
  public String reason() {
    return "AlreadyExists";
  }
}
