package io.nauta.api.customresource.schema;

import io.nauta.core.errors.FieldError;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * One compiled {@code openAPIV3Schema} of a custom resource version. A write runs, in this order,
 * {@link #prune}, {@link #applyDefaults} and {@link #validate}, as Kubernetes' custom resource
 * handler does (decode with pruning and defaulting, then the strategy's validation).
 */
public interface CustomResourceSchema {

  /** Drops the fields the schema does not specify; keeps apiVersion, kind and metadata. */
  void prune(ObjectNode obj);

  /** Sets {@code default} values where fields are absent (or null and not nullable). */
  void applyDefaults(ObjectNode obj);

  /**
   * Validates the object against the schema, its list types and its {@code
   * x-kubernetes-validations}; {@code old} is null on create, and transition rules (those using
   * {@code oldSelf}) run only when an old value exists.
   */
  List<FieldError> validate(ObjectNode obj, ObjectNode old);

  /**
   * Validates a write through the {@code status} subresource as upstream's status strategy does:
   * the status against the schema's {@code status} property, list types (ratcheted) and {@code
   * x-kubernetes-validations} over the object, with the rules of values that did not change skipped
   * (upstream's validation ratcheting), so a stored spec the schema no longer accepts does not
   * block status writes.
   */
  List<FieldError> validateStatus(ObjectNode obj, ObjectNode old);
}
