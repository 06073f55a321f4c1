package io.nauta.core.quota;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * Services ({@code serviceEvaluator}): {@code services} and {@code count/services} for each, {@code
 * services.nodeports} for the ports of NodePort and LoadBalancer services (only the ports with an
 * explicit node port when a load balancer allocates none), {@code services.loadbalancers}.
 */
public final class ServiceEvaluator implements UsageEvaluator {

  private static final Set<String> RESOURCES =
      Set.of("services", "count/services", "services.nodeports", "services.loadbalancers");

  @Override
  public String group() {
    return "";
  }

  @Override
  public String resource() {
    return "services";
  }

  @Override
  public boolean matches(String name) {
    return RESOURCES.contains(name);
  }

  @Override
  public boolean chargesUpdates() {
    return true;
  }

  @Override
  public Map<String, BigDecimal> usage(JsonNode svc) {
    Map<String, BigDecimal> result = new TreeMap<>();
    result.put("services", BigDecimal.ONE);
    result.put("count/services", BigDecimal.ONE);
    JsonNode spec = svc.path("spec");
    JsonNode ports = spec.path("ports");
    int count = ports.size();
    switch (spec.path("type").asString("ClusterIP")) {
      case "NodePort" -> result.put("services.nodeports", BigDecimal.valueOf(count));
      case "LoadBalancer" -> {
        if (spec.has("allocateLoadBalancerNodePorts")
            && !spec.path("allocateLoadBalancerNodePorts").asBoolean(true)) {
          int explicit = 0;
          for (JsonNode p : ports) {
            if (p.path("nodePort").asInt(0) != 0) {
              explicit++;
            }
          }
          result.put("services.nodeports", BigDecimal.valueOf(explicit));
        } else {
          result.put("services.nodeports", BigDecimal.valueOf(count));
        }
        result.put("services.loadbalancers", BigDecimal.ONE);
      }
      default -> {}
    }
    return result;
  }
}
