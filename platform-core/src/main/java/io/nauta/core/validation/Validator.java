package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks one kind of object the way Kubernetes' {@code pkg/apis/*}/validation does, returning every
 * problem at once (an empty list means valid) so a client sees all its mistakes in one 422.
 *
 * <p>Objects are validated as they will be stored: the server has already resolved {@code
 * generateName}, set the namespace and uid, and applied defaults.
 */
public interface Validator<T extends HasMetadata> {

  List<FieldError> validate(T obj);

  /**
   * Validates {@code obj} as a replacement for {@code old}: everything {@link #validate} checks,
   * plus the metadata fields that may never change. Kinds with immutable spec fields add their own
   * rules on top.
   */
  default List<FieldError> validateUpdate(T obj, T old) {
    List<FieldError> errors = new ArrayList<>(validate(obj));
    errors.addAll(MetadataValidation.validateUpdate(obj.getMetadata(), old.getMetadata()));
    return errors;
  }
}
