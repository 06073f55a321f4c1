package io.nauta.federation.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.core.patch.JsonValues;
import io.nauta.federation.api.AggregatedStatusItem;
import io.nauta.federation.api.Karmada;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class TemplateStatusTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant NOW = Instant.parse("2026-12-05T00:00:00Z");

  private static JsonNode read(String json) {
    return JSON.readTree(json);
  }

  private static AggregatedStatusItem member(
      String cluster, int n, long generation, long observed, long templateGeneration) {
    return new AggregatedStatusItem(
        cluster,
        read(
            """
            {"replicas":%d,"updatedReplicas":%d,"readyReplicas":%d,"availableReplicas":%d,
             "observedGeneration":%d,"generation":%d,"resourceTemplateGeneration":%d}
            """
                .formatted(n, n, n, n, observed, generation, templateGeneration)),
        true,
        null,
        Karmada.HEALTHY);
  }

  private static final JsonNode DEPLOYMENT =
      read(
          """
          {"kind":"Deployment","metadata":{"name":"web","generation":2},
           "spec":{"replicas":9},"status":{"observedGeneration":1}}
          """);

  @Test
  void aDeploymentsCountsAreTheMembersSums() {
    ObjectNode s =
        TemplateStatus.aggregate(
            DEPLOYMENT, List.of(member("a", 3, 4, 4, 2), member("b", 6, 1, 1, 2)), NOW);
    assertThat(s.path("replicas").asInt()).isEqualTo(9);
    assertThat(s.path("availableReplicas").asInt()).isEqualTo(9);
    assertThat(s.path("observedGeneration").asLong()).isEqualTo(2);
    assertThat(s.at("/conditions/0/type").asString()).isEqualTo("Available");
    assertThat(s.at("/conditions/0/status").asString()).isEqualTo("True");
    assertThat(s.at("/conditions/1/reason").asString()).isEqualTo("NewReplicaSetAvailable");
  }

  @Test
  void aStatusReadBackFromTheServerIsTheSameAsTheOneAggregated() {
    JsonNode template =
        read(
            """
            {"kind":"Deployment","metadata":{"name":"web","generation":2},"spec":{"replicas":6}}
            """);
    List<AggregatedStatusItem> items =
        List.of(member("usa-3", 3, 1, 1, 2), member("asia-2", 3, 1, 1, 2));
    ObjectNode written = TemplateStatus.aggregate(template, items, NOW);
    // What the informer holds after the write: the same numbers, as ints where we put longs.
    ObjectNode stored = ((ObjectNode) template).deepCopy();
    stored.set("status", read(JSON.writeValueAsString(written)));
    ObjectNode again = TemplateStatus.aggregate(stored, items, NOW.plusSeconds(30));
    assertThat(JsonValues.equal(again, stored.path("status"))).isTrue();
    assertThat(again.equals(stored.path("status"))).as("Jackson's own equals").isFalse();
    stored.withObject("status").put("readyReplicas", 5);
    assertThat(JsonValues.equal(again, stored.path("status"))).isFalse();
  }

  @Test
  void observedGenerationWaitsForEveryMemberToCatchUp() {
    // b still runs the object written from template generation 1.
    ObjectNode older =
        TemplateStatus.aggregate(
            DEPLOYMENT, List.of(member("a", 3, 4, 4, 2), member("b", 6, 1, 1, 1)), NOW);
    assertThat(older.path("observedGeneration").asLong()).isEqualTo(1);
    // a's controller has not seen its object's latest generation.
    ObjectNode behind =
        TemplateStatus.aggregate(
            DEPLOYMENT, List.of(member("a", 3, 4, 3, 2), member("b", 6, 1, 1, 2)), NOW);
    assertThat(behind.path("observedGeneration").asLong()).isEqualTo(1);
    // A member without status yet counts as behind.
    ObjectNode missing =
        TemplateStatus.aggregate(
            DEPLOYMENT,
            List.of(
                member("a", 3, 4, 4, 2),
                new AggregatedStatusItem("b", null, true, null, Karmada.HEALTH_UNKNOWN)),
            NOW);
    assertThat(missing.path("observedGeneration").asLong()).isEqualTo(1);
    assertThat(missing.at("/conditions/1/reason").asString()).isEqualTo("ReplicaSetUpdated");
  }

  @Test
  void availabilityAllowsMaxUnavailable() {
    ObjectNode s =
        TemplateStatus.aggregate(
            DEPLOYMENT, List.of(member("a", 3, 1, 1, 2), member("b", 4, 1, 1, 2)), NOW);
    // 9 desired, 25% of 9 rounded down is 2 unavailable allowed: 7 available is enough.
    assertThat(s.at("/conditions/0/status").asString()).isEqualTo("True");
    ObjectNode short1 =
        TemplateStatus.aggregate(
            DEPLOYMENT, List.of(member("a", 3, 1, 1, 2), member("b", 3, 1, 1, 2)), NOW);
    assertThat(short1.at("/conditions/0/status").asString()).isEqualTo("False");
    assertThat(short1.at("/conditions/0/reason").asString())
        .isEqualTo("MinimumReplicasUnavailable");
  }

  @Test
  void aJobCompletesWhenEveryMembersJobHas() {
    JsonNode job = read("{\"kind\":\"Job\",\"metadata\":{\"name\":\"j\"},\"spec\":{}}");
    AggregatedStatusItem done =
        new AggregatedStatusItem(
            "a",
            read(
                "{\"succeeded\":2,\"startTime\":\"2026-01-01T00:00:00Z\",\"completionTime\":\"2026-01-01T00:01:00Z\","
                    + "\"conditions\":[{\"type\":\"Complete\",\"status\":\"True\"}]}"),
            true,
            null,
            Karmada.HEALTHY);
    AggregatedStatusItem running =
        new AggregatedStatusItem("b", read("{\"active\":1}"), true, null, Karmada.HEALTHY);
    ObjectNode partial = TemplateStatus.aggregate(job, List.of(done, running), NOW);
    assertThat(partial.path("succeeded").asInt()).isEqualTo(2);
    assertThat(partial.path("active").asInt()).isEqualTo(1);
    assertThat(partial.has("conditions")).isFalse();
    ObjectNode complete = TemplateStatus.aggregate(job, List.of(done), NOW);
    assertThat(complete.at("/conditions/0/type").asString()).isEqualTo("Complete");
    assertThat(complete.path("completionTime").asString()).isEqualTo("2026-01-01T00:01:00Z");
  }

  @Test
  void healthFollowsKarmadasInterpreter() {
    assertThat(
            Health.of(
                read(
                    "{\"kind\":\"Deployment\",\"metadata\":{\"generation\":2},\"spec\":{\"replicas\":3},"
                        + "\"status\":{\"observedGeneration\":2,\"updatedReplicas\":3,\"availableReplicas\":3}}")))
        .isEqualTo(Karmada.HEALTHY);
    assertThat(
            Health.of(
                read(
                    "{\"kind\":\"Deployment\",\"metadata\":{\"generation\":2},\"spec\":{\"replicas\":3},"
                        + "\"status\":{\"observedGeneration\":1,\"updatedReplicas\":3,\"availableReplicas\":3}}")))
        .isEqualTo(Karmada.UNHEALTHY);
    assertThat(
            Health.of(
                read(
                    "{\"kind\":\"Deployment\",\"metadata\":{\"generation\":2},\"spec\":{\"replicas\":3},"
                        + "\"status\":{\"observedGeneration\":2,\"updatedReplicas\":3,\"availableReplicas\":2}}")))
        .isEqualTo(Karmada.UNHEALTHY);
    assertThat(Health.of(read("{\"kind\":\"Service\",\"spec\":{\"type\":\"ClusterIP\"}}")))
        .isEqualTo(Karmada.HEALTHY);
    assertThat(Health.of(read("{\"kind\":\"Service\",\"spec\":{\"type\":\"LoadBalancer\"}}")))
        .isEqualTo(Karmada.UNHEALTHY);
    assertThat(Health.of(read("{\"kind\":\"ConfigMap\"}"))).isEqualTo(Karmada.HEALTHY);
    assertThat(Health.of(null)).isEqualTo(Karmada.HEALTH_UNKNOWN);
  }

  @Test
  void reflectedStatusCarriesTheGenerations() {
    JsonNode reflected =
        ReflectedStatus.of(
            read(
                "{\"kind\":\"Deployment\",\"metadata\":{\"generation\":4,\"annotations\":{"
                    + "\"resourcetemplate.karmada.io/generation\":\"2\"}},"
                    + "\"status\":{\"replicas\":3,\"observedGeneration\":4,\"conditions\":[]}}"));
    assertThat(reflected.path("generation").asLong()).isEqualTo(4);
    assertThat(reflected.path("resourceTemplateGeneration").asLong()).isEqualTo(2);
    assertThat(reflected.has("conditions")).isFalse();
    assertThat(ReflectedStatus.of(read("{\"kind\":\"Deployment\",\"metadata\":{}}"))).isNull();
  }
}
