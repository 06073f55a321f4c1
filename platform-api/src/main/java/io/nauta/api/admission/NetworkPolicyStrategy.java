package io.nauta.api.admission;

import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * NetworkPolicies (networking.k8s.io/v1): upstream's {@code SetDefaults_NetworkPolicyPort}
 * (protocol {@code TCP}) and {@code SetDefaults_NetworkPolicy} (without {@code policyTypes}, a
 * policy is of type Ingress, and of type Egress too when it has egress rules).
 */
final class NetworkPolicyStrategy implements ResourceStrategy {

  @Override
  public ResourceType type() {
    return BuiltInResources.NETWORK_POLICIES;
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    ObjectNode spec = Defaults.object(obj, "spec");
    // not a pointer in Go: always written, {} when left out
    Defaults.object(spec, "podSelector");
    Defaults.eachObject(
        spec, "ingress", rule -> Defaults.eachObject(rule, "ports", NetworkPolicyStrategy::port));
    Defaults.eachObject(
        spec, "egress", rule -> Defaults.eachObject(rule, "ports", NetworkPolicyStrategy::port));
    JsonNode types = spec.get("policyTypes");
    if (types == null || types.isNull() || types.isEmpty()) {
      ArrayNode defaulted = spec.putArray("policyTypes").add("Ingress");
      if (spec.get("egress") instanceof ArrayNode egress && !egress.isEmpty()) {
        defaulted.add("Egress");
      }
    }
  }

  private static void port(ObjectNode port) {
    Defaults.text(port, "protocol", "TCP");
  }
}
