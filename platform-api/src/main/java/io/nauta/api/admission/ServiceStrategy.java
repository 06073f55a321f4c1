package io.nauta.api.admission;

import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.util.List;
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
    String affinity = spec.path("sessionAffinity").asString();
    if (affinity.equals("None")) {
      spec.remove("sessionAffinityConfig");
    } else if (affinity.equals("ClientIP")
        && !spec.path("sessionAffinityConfig").path("clientIP").hasNonNull("timeoutSeconds")) {
      spec.putObject("sessionAffinityConfig").putObject("clientIP").put("timeoutSeconds", 10800);
    }
    String type = spec.path("type").asString();
    if (List.of("ClusterIP", "NodePort", "LoadBalancer").contains(type)) {
      Defaults.text(spec, "internalTrafficPolicy", "Cluster");
    }
    // service.ExternallyAccessible: load balancers, node ports, and cluster IPs with external IPs.
    boolean external =
        type.equals("LoadBalancer")
            || type.equals("NodePort")
            || (type.equals("ClusterIP") && spec.path("externalIPs").size() > 0);
    if (external) {
      Defaults.text(spec, "externalTrafficPolicy", "Cluster");
    }
    if (type.equals("LoadBalancer")) {
      Defaults.bool(spec, "allocateLoadBalancerNodePorts", true);
    }
    Defaults.eachObject(
        spec,
        "ports",
        p -> {
          Defaults.text(p, "protocol", "TCP");
          // Go's zero values, 0 and "", both mean "the same as port".
          JsonNode target = p.get("targetPort");
          boolean unset =
              target == null
                  || target.isNull()
                  || (target.isNumber() && target.asInt() == 0)
                  || (target.isString() && target.asString().isEmpty());
          if (unset && p.has("port")) {
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
