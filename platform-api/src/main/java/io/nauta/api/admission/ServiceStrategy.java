package io.nauta.api.admission;

import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Services: type, session affinity and port defaults ({@code targetPort} = {@code port}). */
final class ServiceStrategy implements ResourceStrategy {

  @Override
  public ResourceType type() {
    return BuiltInResources.SERVICES;
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    ObjectNode spec = Defaults.object(obj, "spec");
    Defaults.text(spec, "type", "ClusterIP");
    Defaults.text(spec, "sessionAffinity", "None");
    if (!"ExternalName".equals(spec.path("type").asString())) {
      Defaults.text(spec, "internalTrafficPolicy", "Cluster");
    }
    Defaults.eachObject(
        spec,
        "ports",
        p -> {
          Defaults.text(p, "protocol", "TCP");
          if (!p.hasNonNull("targetPort") && p.has("port")) {
            p.set("targetPort", p.get("port"));
          }
        });
  }

  @Override
  public void keepServerOwnedFields(ObjectNode updated, ObjectNode old) {
    ObjectNode spec = Defaults.object(updated, "spec");
    for (String field : new String[] {"clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"}) {
      JsonNode mine = spec.get(field);
      JsonNode theirs = old.path("spec").get(field);
      boolean empty =
          mine == null || mine.isNull() || mine.asString("").isEmpty() && !mine.isArray();
      if (empty && theirs != null) {
        spec.set(field, theirs);
      }
    }
  }

  @Override
  public ObjectNode initialStatus(ObjectNode obj) {
    ObjectNode status = obj.objectNode();
    status.putObject("loadBalancer");
    return status;
  }
}
