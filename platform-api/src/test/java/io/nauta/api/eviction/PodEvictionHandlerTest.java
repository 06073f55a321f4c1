package io.nauta.api.eviction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nauta.core.errors.ForbiddenException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Upstream's {@code checkAndDecrement} and {@code canIgnorePDB}, on the stored JSON. */
class PodEvictionHandlerTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant NOW = Instant.parse("2026-12-06T15:00:00Z");

  private static ObjectNode budget(long generation, String status) {
    return (ObjectNode)
        JSON.readTree(
            "{\"metadata\":{\"name\":\"web\",\"generation\":"
                + generation
                + "},\"status\":"
                + status
                + "}");
  }

  @Test
  void spendsOneDisruptionAndRecordsThePod() {
    ObjectNode b =
        PodEvictionHandler.spend(
            budget(
                1,
                "{\"observedGeneration\":1,\"disruptionsAllowed\":1,\"desiredHealthy\":2,"
                    + "\"currentHealthy\":3}"),
            "web-1",
            NOW);
    assertThat(b.path("status").path("disruptionsAllowed").asInt()).isZero();
    assertThat(b.path("status").path("disruptedPods").path("web-1").asString())
        .isEqualTo("2026-12-06T15:00:00Z");
    assertThat(b.path("status").path("conditions").get(0).path("reason").asString())
        .isEqualTo("InsufficientPods");
  }

  @Test
  void refusesWhenNothingIsAllowedOrTheStatusIsStale() {
    assertThatThrownBy(
            () ->
                PodEvictionHandler.spend(
                    budget(
                        1,
                        "{\"observedGeneration\":1,\"disruptionsAllowed\":0,"
                            + "\"desiredHealthy\":2,\"currentHealthy\":2}"),
                    "web-1",
                    NOW))
        .isInstanceOf(DisruptionBudgetViolation.class)
        .hasMessage("Cannot evict pod as it would violate the pod's disruption budget.")
        .satisfies(
            e ->
                assertThat(
                        ((DisruptionBudgetViolation) e)
                            .toStatus()
                            .getDetails()
                            .getCauses()
                            .get(0)
                            .getMessage())
                    .isEqualTo(
                        "The disruption budget web needs 2 healthy pods and has 2 currently"));
    assertThatThrownBy(
            () ->
                PodEvictionHandler.spend(
                    budget(2, "{\"observedGeneration\":1,\"disruptionsAllowed\":5}"), "p", NOW))
        .isInstanceOf(DisruptionBudgetViolation.class)
        .satisfies(
            e -> assertThat(((DisruptionBudgetViolation) e).retryAfterSeconds()).isEqualTo(10));
    assertThatThrownBy(
            () ->
                PodEvictionHandler.spend(
                    budget(1, "{\"observedGeneration\":1,\"disruptionsAllowed\":-1}"), "p", NOW))
        .isInstanceOf(ForbiddenException.class)
        .hasMessage(
            "poddisruptionbudget.policy \"web\" is forbidden: pdb disruptions allowed is negative");
  }

  @Test
  void terminalPendingAndDeletingPodsNeedNoBudget() {
    assertThat(PodEvictionHandler.canIgnoreBudget(pod("{\"phase\":\"Succeeded\"}", ""))).isTrue();
    assertThat(PodEvictionHandler.canIgnoreBudget(pod("{\"phase\":\"Pending\"}", ""))).isTrue();
    assertThat(
            PodEvictionHandler.canIgnoreBudget(
                pod("{\"phase\":\"Running\"}", ",\"deletionTimestamp\":\"2026-12-06T15:00:00Z\"")))
        .isTrue();
    assertThat(PodEvictionHandler.canIgnoreBudget(pod("{\"phase\":\"Running\"}", ""))).isFalse();
  }

  private static ObjectNode pod(String status, String moreMeta) {
    return (ObjectNode)
        JSON.readTree("{\"metadata\":{\"name\":\"p\"" + moreMeta + "},\"status\":" + status + "}");
  }
}
