package io.nauta.api.customresource.schema;

import io.nauta.core.errors.FieldError;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

// placeholder until the structural-schema work lands
/** One compiled {@code openAPIV3Schema}: pruning, defaulting and validation of custom resources. */
public interface CustomResourceSchema {

  /** Drops unknown fields (keeps apiVersion, kind, metadata). */
  void prune(ObjectNode obj);

  /** Fills {@code default} values. */
  void applyDefaults(ObjectNode obj);

  /** The object's errors; {@code old} is null on create. CEL rules included. */
  List<FieldError> validate(ObjectNode obj, ObjectNode old);
}
