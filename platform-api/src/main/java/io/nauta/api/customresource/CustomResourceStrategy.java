package io.nauta.api.customresource;

import io.nauta.api.admission.ResourceStrategy;
import io.nauta.api.customresource.schema.CustomResourceSchema;
import io.nauta.core.errors.FieldError;
import io.nauta.core.registry.ResourceType;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes of one custom resource, stored at {@code type}: the schema of the version a write was sent
 * to prunes, defaults and validates it (create, update, patch, status), in that order, as
 * Kubernetes' per-version strategies do; the storage version's schema then prunes what it does not
 * know, as upstream's conversion to the storage version does. {@code metadata.generation} follows
 * the spec; with the {@code status} subresource, status is written only through it, and a status
 * write is validated as upstream's status strategy validates it.
 */
final class CustomResourceStrategy implements ResourceStrategy {

  private final ResourceType type;
  private final String storageVersion;
  private final Map<String, CustomResourceSchema> schemas;
  private final String version;

  /**
   * @param schemas each version's compiled schema, by version name
   */
  CustomResourceStrategy(
      ResourceType type, String storageVersion, Map<String, CustomResourceSchema> schemas) {
    this(type, storageVersion, Map.copyOf(schemas), storageVersion);
  }

  private CustomResourceStrategy(
      ResourceType type,
      String storageVersion,
      Map<String, CustomResourceSchema> schemas,
      String version) {
    this.type = type;
    this.storageVersion = storageVersion;
    this.schemas = schemas;
    this.version = version;
  }

  @Override
  public ResourceType type() {
    return type;
  }

  @Override
  public ResourceStrategy forServedVersion(String served) {
    if (served == null || served.equals(version) || !schemas.containsKey(served)) {
      return this;
    }
    return new CustomResourceStrategy(type, storageVersion, schemas, served);
  }

  private CustomResourceSchema schema() {
    return schemas.get(version);
  }

  @Override
  public boolean tracksGeneration() {
    return true;
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    schema().prune(obj);
    schema().applyDefaults(obj);
    if (!version.equals(storageVersion)) {
      schemas.get(storageVersion).prune(obj);
    }
  }

  @Override
  public void prepareForStatusUpdate(ObjectNode updated, ObjectNode old) {
    applyDefaults(updated);
  }

  @Override
  public List<FieldError> validate(ObjectNode obj, ObjectNode old) {
    return schema().validate(obj, old);
  }

  @Override
  public List<FieldError> validateStatusUpdate(ObjectNode obj, ObjectNode old) {
    return schema().validateStatus(obj, old);
  }
}
