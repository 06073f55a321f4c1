package io.nauta.core.quota;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * Any other kind ({@code generic.NewObjectCountEvaluator}): one {@code count/<resource>.<group>}
 * per object, and for configmaps, secrets, resourcequotas and replicationcontrollers also the
 * legacy bare name. Object counts are charged on create only.
 */
public final class ObjectCountEvaluator implements UsageEvaluator {

  private final String group;
  private final String resource;
  private final String legacyName;

  public ObjectCountEvaluator(String group, String resource) {
    this.group = group;
    this.resource = resource;
    this.legacyName =
        group.isEmpty()
                && java.util.Set.of(
                        "configmaps", "secrets", "resourcequotas", "replicationcontrollers")
                    .contains(resource)
            ? resource
            : null;
  }

  @Override
  public String group() {
    return group;
  }

  @Override
  public String resource() {
    return resource;
  }

  @Override
  public boolean matches(String name) {
    return name.equals(UsageEvaluator.countName(group, resource)) || name.equals(legacyName);
  }

  @Override
  public Map<String, BigDecimal> usage(JsonNode obj) {
    Map<String, BigDecimal> result = new TreeMap<>();
    result.put(UsageEvaluator.countName(group, resource), BigDecimal.ONE);
    if (legacyName != null) {
      result.put(legacyName, BigDecimal.ONE);
    }
    return result;
  }
}
