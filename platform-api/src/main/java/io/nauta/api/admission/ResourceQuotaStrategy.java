package io.nauta.api.admission;

import io.nauta.api.resource.Meta;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * ResourceQuotas (v1): the spec on the main resource, {@code status} (hard and used) only through
 * {@code /status} (the quota controller's, and admission's charges). The reservations admission
 * keeps in the annotation {@value QuotaAdmission#RESERVATIONS} are the server's: an update of the
 * main resource that leaves them out keeps them.
 */
final class ResourceQuotaStrategy implements ResourceStrategy {

  @Override
  public ResourceType type() {
    return BuiltInResources.RESOURCE_QUOTAS;
  }

  /** A new quota has no charges in flight, whatever its creator wrote. */
  @Override
  public void prepareForCreate(ObjectNode obj, io.nauta.api.security.UserInfo user) {
    if (Meta.of(obj).get("annotations") instanceof ObjectNode a) {
      a.remove(QuotaAdmission.RESERVATIONS);
    }
  }

  @Override
  public void keepServerOwnedFields(ObjectNode updated, ObjectNode old) {
    JsonNode kept = old.path("metadata").path("annotations").get(QuotaAdmission.RESERVATIONS);
    ObjectNode meta = Meta.of(updated);
    if (kept == null) {
      if (meta.get("annotations") instanceof ObjectNode a) {
        a.remove(QuotaAdmission.RESERVATIONS);
      }
      return;
    }
    Defaults.object(meta, "annotations").set(QuotaAdmission.RESERVATIONS, kept);
  }
}
