package io.nauta.federation.metrics;

import io.fabric8.kubernetes.api.model.Condition;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.core.informer.InformerStore;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.ResourceBinding;
import io.nauta.federation.api.ResourceBindingStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Bindings per state: {@value #METRIC}{@code {condition, status}}, the number of ResourceBindings
 * and ClusterResourceBindings whose {@code Scheduled} (or {@code FullyApplied}) condition has that
 * status ({@code True}, {@code False}, {@code Unknown}; a binding without the condition yet counts
 * as {@code Unknown}), counted from the gateway's binding informers when scraped (one pass over
 * them serves every series for a second).
 */
public final class BindingMetrics {

  /** {@value}: Prometheus {@code nauta_federation_bindings}. */
  public static final String METRIC = "nauta.federation.bindings";

  static final List<String> CONDITIONS =
      List.of(Karmada.CONDITION_SCHEDULED, Karmada.CONDITION_FULLY_APPLIED);
  static final List<String> STATUSES = List.of("True", "False", "Unknown");

  private static final Duration REUSE = Duration.ofSeconds(1);

  private final List<InformerStore<ResourceBinding>> stores;
  private final Clock clock;
  private Map<String, Long> counts = Map.of();
  private Instant countedAt = Instant.MIN;

  /**
   * @param stores the ResourceBindings' and ClusterResourceBindings' informer stores (both kinds
   *     read as the {@link ResourceBinding} record, as every federation controller reads them)
   */
  public BindingMetrics(
      List<InformerStore<ResourceBinding>> stores, MeterRegistry meters, Clock clock) {
    this.stores = stores;
    this.clock = clock;
    for (String condition : CONDITIONS) {
      for (String status : STATUSES) {
        Gauge.builder(METRIC, this, m -> m.count(condition, status))
            .tag("condition", condition)
            .tag("status", status)
            .description(
                "ResourceBindings and ClusterResourceBindings by the status of a condition")
            .strongReference(true)
            .register(meters);
      }
    }
  }

  /** How many bindings have {@code condition} at {@code status}. */
  synchronized long count(String condition, String status) {
    Instant now = clock.instant();
    if (now.isAfter(countedAt.plus(REUSE)) || now.isBefore(countedAt)) {
      Map<String, Long> next = new HashMap<>();
      for (InformerStore<ResourceBinding> store : stores) {
        for (ResourceBinding binding : store.list()) {
          List<Condition> conditions = conditions(binding);
          for (String c : CONDITIONS) {
            next.merge(c + "/" + statusOf(conditions, c), 1L, Long::sum);
          }
        }
      }
      counts = next;
      countedAt = now;
    }
    return counts.getOrDefault(condition + "/" + status, 0L);
  }

  private static List<Condition> conditions(ResourceBinding binding) {
    ResourceBindingStatus status = binding.status();
    return status == null || status.conditions() == null ? List.of() : status.conditions();
  }

  /** The condition's status; {@code Unknown} when it is absent or says nothing known. */
  static String statusOf(List<Condition> conditions, String type) {
    return conditions.stream()
        .filter(c -> type.equals(c.getType()))
        .map(Condition::getStatus)
        .filter(s -> "True".equals(s) || "False".equals(s))
        .findFirst()
        .orElse("Unknown");
  }
}
