package io.nauta.agent.stats;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a simulated container uses: the pod's annotation {@value #ANNOTATION}, a JSON object of
 * container name to {@code cpu} and {@code memory} quantities, e.g. {@code {"app": {"cpu": "250m",
 * "memory": "64Mi"}}}; a container it does not name (or a quantity it leaves out, or an annotation
 * that does not parse) uses {@link #DEFAULT} ({@code 1m} CPU, {@code 4Mi} memory). Changing the
 * annotation changes the usage from the next sample on, so a scale test can drive load.
 */
public final class UsageModel {

  public static final String ANNOTATION = "nauta.io/simulated-usage";

  /** A container's constant usage. */
  public record Rate(long nanoCores, long memoryBytes) {}

  public static final Rate DEFAULT = new Rate(1_000_000L, 4L * 1024 * 1024);

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private UsageModel() {}

  /** Each named container's usage; containers absent from the map use {@link #DEFAULT}. */
  public static Map<String, Rate> of(Pod pod) {
    Map<String, String> annotations =
        pod == null || pod.getMetadata() == null ? null : pod.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(ANNOTATION);
    Map<String, Rate> rates = new HashMap<>();
    if (value == null || value.isBlank()) {
      return rates;
    }
    try {
      JsonNode root = JSON.readTree(value);
      for (Map.Entry<String, JsonNode> e : root.properties()) {
        JsonNode c = e.getValue();
        rates.put(
            e.getKey(),
            new Rate(
                quantity(c.get("cpu"), DEFAULT.nanoCores(), BigDecimal.valueOf(1_000_000_000L)),
                quantity(c.get("memory"), DEFAULT.memoryBytes(), BigDecimal.ONE)));
      }
    } catch (RuntimeException e) {
      // A malformed annotation: every container at the default, as if it were absent.
      rates.clear();
    }
    return rates;
  }

  /** The usage of one container of a pod whose annotation gave {@code rates}. */
  public static Rate rate(Map<String, Rate> rates, String container) {
    return rates.getOrDefault(container, DEFAULT);
  }

  private static long quantity(JsonNode node, long fallback, BigDecimal scale) {
    if (node == null || node.isNull()) {
      return fallback;
    }
    BigDecimal amount = Quantity.getAmountInBytes(new Quantity(node.asString()));
    return amount.multiply(scale).max(BigDecimal.ZERO).longValue();
  }
}
