package io.nauta.api.customresource;

import io.nauta.api.admission.ResourceStrategy;
import io.nauta.api.customresource.schema.CustomResourceSchema;
import io.nauta.core.errors.FieldError;
import io.nauta.core.registry.ResourceType;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes of one custom resource, stored at {@code type}: its definition's schema prunes, defaults
 * and validates every write (create, update, patch, status), in that order, as Kubernetes does;
 * {@code metadata.generation} follows the spec; with the {@code status} subresource, status is
 * written only through it.
 */
final class CustomResourceStrategy implements ResourceStrategy {

  private final ResourceType type;
  private final CustomResourceSchema schema;

  CustomResourceStrategy(ResourceType type, CustomResourceSchema schema) {
    this.type = type;
    this.schema = schema;
  }

  @Override
  public ResourceType type() {
    return type;
  }

  @Override
  public boolean tracksGeneration() {
    return true;
  }

  @Override
  public String qualifiedKind() {
    return type.kind() + "." + type.group();
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    schema.prune(obj);
    schema.applyDefaults(obj);
  }

  @Override
  public void prepareForStatusUpdate(ObjectNode updated, ObjectNode old) {
    applyDefaults(updated);
  }

  @Override
  public List<FieldError> validate(ObjectNode obj, ObjectNode old) {
    return schema.validate(obj, old);
  }
}
