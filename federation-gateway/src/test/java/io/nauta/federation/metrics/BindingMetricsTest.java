package io.nauta.federation.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nauta.core.informer.InformerStore;
import io.nauta.federation.api.Karmada;
import io.nauta.federation.api.ResourceBinding;
import io.nauta.federation.api.ResourceBindingStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bindings counted by condition status, from informer stores filled by hand. */
class BindingMetricsTest {

  private static Condition condition(String type, String status) {
    return new ConditionBuilder().withType(type).withStatus(status).build();
  }

  private static ResourceBindingStatus status(Condition... conditions) {
    return new ResourceBindingStatus(null, null, null, List.of(conditions), null);
  }

  private static ResourceBinding rb(String name, ResourceBindingStatus status) {
    return new ResourceBinding(
        new ObjectMetaBuilder().withNamespace("default").withName(name).build(), null, status);
  }

  private static double value(MeterRegistry meters, String condition, String status) {
    return meters
        .get(BindingMetrics.METRIC)
        .tag("condition", condition)
        .tag("status", status)
        .gauge()
        .value();
  }

  /** A clock the test moves. */
  private static final class Now extends Clock {
    Instant now = Instant.parse("2026-12-05T12:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void countsResourceAndClusterResourceBindingsByEachConditionsStatus() {
    InformerStore<ResourceBinding> rbs = new InformerStore<>();
    InformerStore<ResourceBinding> crbs = new InformerStore<>();
    List<InformerStore<ResourceBinding>> stores = List.of(rbs, crbs);
    MeterRegistry meters = new SimpleMeterRegistry();
    Now clock = new Now();
    new BindingMetrics(stores, meters, clock);

    assertThat(value(meters, Karmada.CONDITION_SCHEDULED, "True")).isZero();

    rbs.upsert(
        rb(
            "scheduled-applied",
            status(
                condition(Karmada.CONDITION_SCHEDULED, "True"),
                condition(Karmada.CONDITION_FULLY_APPLIED, "True"))));
    rbs.upsert(
        rb(
            "scheduled-not-applied",
            status(
                condition(Karmada.CONDITION_SCHEDULED, "True"),
                condition(Karmada.CONDITION_FULLY_APPLIED, "False"))));
    rbs.upsert(rb("unschedulable", status(condition(Karmada.CONDITION_SCHEDULED, "False"))));
    rbs.upsert(rb("new", null));
    crbs.upsert(
        new ResourceBinding(
            Karmada.CLUSTER_RESOURCE_BINDING_API_VERSION,
            Karmada.KIND_CLUSTER_RESOURCE_BINDING,
            new ObjectMetaBuilder().withName("cluster-role").build(),
            null,
            status(
                condition(Karmada.CONDITION_SCHEDULED, "True"),
                condition(Karmada.CONDITION_FULLY_APPLIED, "True"))));
    // Read within a second of the last count: the same figures.
    assertThat(value(meters, Karmada.CONDITION_SCHEDULED, "True")).isZero();

    clock.now = clock.now.plus(Duration.ofSeconds(2));
    assertThat(value(meters, Karmada.CONDITION_SCHEDULED, "True")).isEqualTo(3);
    assertThat(value(meters, Karmada.CONDITION_SCHEDULED, "False")).isEqualTo(1);
    assertThat(value(meters, Karmada.CONDITION_SCHEDULED, "Unknown")).isEqualTo(1);
    assertThat(value(meters, Karmada.CONDITION_FULLY_APPLIED, "True")).isEqualTo(2);
    assertThat(value(meters, Karmada.CONDITION_FULLY_APPLIED, "False")).isEqualTo(1);
    // Without the condition: Unknown.
    assertThat(value(meters, Karmada.CONDITION_FULLY_APPLIED, "Unknown")).isEqualTo(2);
  }

  @Test
  void aClusterResourceBindingStoreMadeWithTheResourceBindingRecordCountsToo() {
    // Another controller may have made the shared informer with ResourceBinding for both kinds.
    InformerStore<ResourceBinding> crbsAsRb = new InformerStore<>();
    crbsAsRb.upsert(
        new ResourceBinding(
            new ObjectMetaBuilder().withName("cluster-role").build(),
            null,
            status(condition(Karmada.CONDITION_SCHEDULED, "True"))));
    MeterRegistry meters = new SimpleMeterRegistry();
    new BindingMetrics(List.of(crbsAsRb), meters, Clock.systemUTC());
    assertThat(value(meters, Karmada.CONDITION_SCHEDULED, "True")).isEqualTo(1);
  }
}
