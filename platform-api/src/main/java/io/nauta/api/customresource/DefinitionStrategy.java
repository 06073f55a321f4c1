package io.nauta.api.customresource;

import io.nauta.api.admission.ResourceStrategy;
import io.nauta.api.resource.Meta;
import io.nauta.api.security.UserInfo;
import io.nauta.core.errors.FieldError;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.node.ObjectNode;

/**
 * CustomResourceDefinition writes: v1's defaults, the clean-up finalizer on create, the stored
 * version recorded from the start, and upstream's validation ({@link DefinitionValidation}).
 */
public final class DefinitionStrategy implements ResourceStrategy {

  /** Held until every object of the kind is deleted (see {@link DefinitionController}). */
  public static final String CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

  @Override
  public ResourceType type() {
    return BuiltInResources.CUSTOM_RESOURCE_DEFINITIONS;
  }

  @Override
  public boolean tracksGeneration() {
    return true;
  }

  @Override
  public boolean preparesUntrackedFields() {
    return true;
  }

  @Override
  public void prepareForCreate(ObjectNode obj, UserInfo user) {
    List<String> finalizers = new ArrayList<>(Meta.finalizers(obj));
    if (!finalizers.contains(CLEANUP_FINALIZER)) {
      finalizers.add(CLEANUP_FINALIZER);
      Meta.setFinalizers(obj, finalizers);
    }
  }

  /**
   * Upstream's PrepareForCreate: a new definition's stored versions are its storage version (the
   * first version marked storage; validation refuses more than one).
   */
  @Override
  public ObjectNode initialStatus(ObjectNode obj) {
    ObjectNode status = obj.objectNode();
    status.putObject("acceptedNames").put("plural", "").put("kind", "");
    status.putArray("conditions");
    var storedVersions = status.putArray("storedVersions");
    Definition.of(obj).versions().stream()
        .filter(Definition.Version::storage)
        .findFirst()
        .ifPresent(v -> storedVersions.add(v.name()));
    return status;
  }

  /** SetDefaults of apiextensions/v1: singular, listKind, conversion None. */
  @Override
  public void applyDefaults(ObjectNode obj) {
    if (!(obj.get("spec") instanceof ObjectNode spec)) {
      return;
    }
    if (spec.get("names") instanceof ObjectNode names) {
      String kind = names.path("kind").asString("");
      if (names.path("singular").asString("").isEmpty() && !kind.isEmpty()) {
        names.put("singular", kind.toLowerCase(Locale.ROOT));
      }
      if (names.path("listKind").asString("").isEmpty() && !kind.isEmpty()) {
        names.put("listKind", kind + "List");
      }
    }
    if (!(spec.get("conversion") instanceof ObjectNode)) {
      spec.putObject("conversion").put("strategy", "None");
    }
  }

  @Override
  public List<FieldError> validate(ObjectNode obj, ObjectNode old) {
    return DefinitionValidation.validate(obj, old);
  }
}
