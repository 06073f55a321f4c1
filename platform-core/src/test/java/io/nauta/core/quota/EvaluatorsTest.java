package io.nauta.core.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What objects use, which scopes they fall in, and how quantities print. */
class EvaluatorsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final Evaluators evaluators =
      new Evaluators(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

  private static JsonNode json(String s) {
    return JSON.readTree(s.replace('\'', '"'));
  }

  private static Map<String, String> printed(Map<String, BigDecimal> usage) {
    Map<String, String> out = new java.util.TreeMap<>();
    usage.forEach((k, v) -> out.put(k, Quantities.format(k, v)));
    return out;
  }

  @Test
  void quantitiesPrintCanonically() {
    assertThat(Quantities.format("cpu", Quantities.parse("1000m"))).isEqualTo("1");
    assertThat(Quantities.format("cpu", Quantities.parse("0.25"))).isEqualTo("250m");
    assertThat(Quantities.format("memory", Quantities.parse("1024Mi"))).isEqualTo("1Gi");
    assertThat(Quantities.format("memory", Quantities.parse("500M"))).isEqualTo("500M");
    assertThat(Quantities.format("pods", Quantities.parse("1e3"))).isEqualTo("1k");
    assertThat(Quantities.parse("12x")).isNull();
    assertThat(
            Quantities.pretty(
                Map.of(
                    "requests.cpu",
                    new BigDecimal("0.5"),
                    "limits.memory",
                    new BigDecimal(1 << 30))))
        .isEqualTo("limits.memory=1Gi,requests.cpu=500m");
  }

  @Test
  void aPodUsesItsContainersSumOrItsLargestInitContainerPlusOverhead() {
    JsonNode pod =
        json(
            """
            {'spec': {
              'initContainers': [{'name': 'i', 'resources': {'requests': {'cpu': '2'}}}],
              'containers': [
                {'name': 'a', 'resources': {'requests': {'cpu': '250m', 'memory': '1Gi',
                   'nvidia.com/gpu': '1'}, 'limits': {'cpu': '500m'}}},
                {'name': 'b', 'resources': {'requests': {'cpu': '250m', 'memory': '1Gi'}}}],
              'overhead': {'cpu': '100m'}}}
            """);
    assertThat(printed(evaluators.of("", "pods").usage(pod)))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "count/pods", "1",
                "pods", "1",
                "cpu", "2100m",
                "requests.cpu", "2100m",
                "limits.cpu", "600m",
                "memory", "2Gi",
                "requests.memory", "2Gi",
                "requests.nvidia.com/gpu", "1"));
  }

  @Test
  void aTerminalPodCountsOnlyAsAnObject() {
    JsonNode pod =
        json(
            "{'spec': {'containers': [{'name': 'a', 'resources': {'requests': {'cpu': '1'}}}]},"
                + " 'status': {'phase': 'Succeeded'}}");
    assertThat(printed(evaluators.of("", "pods").usage(pod))).isEqualTo(Map.of("count/pods", "1"));
  }

  @Test
  void podScopes() {
    UsageEvaluator pods = evaluators.of("", "pods");
    JsonNode bestEffort =
        json("{'spec': {'priorityClassName': 'high', 'containers': [{'name': 'a'}]}}");
    JsonNode burstable =
        json(
            "{'spec': {'activeDeadlineSeconds': 30, 'containers': [{'name': 'a', 'resources':"
                + " {'requests': {'memory': '1Mi'}}}]}}");
    QuotaScope be = new QuotaScope("BestEffort", "Exists", List.of());
    QuotaScope terminating = new QuotaScope("Terminating", "Exists", List.of());
    QuotaScope high = new QuotaScope("PriorityClass", "In", List.of("high"));
    QuotaScope notHigh = new QuotaScope("PriorityClass", "NotIn", List.of("high"));
    assertThat(pods.matchesScope(be, bestEffort)).isTrue();
    assertThat(pods.matchesScope(be, burstable)).isFalse();
    assertThat(pods.matchesScope(terminating, burstable)).isTrue();
    assertThat(pods.matchesScope(terminating, bestEffort)).isFalse();
    assertThat(pods.matchesScope(high, bestEffort)).isTrue();
    assertThat(pods.matchesScope(high, burstable)).isFalse();
    assertThat(pods.matchesScope(notHigh, burstable)).isTrue();
  }

  @Test
  void aQuotaOnComputeResourcesNamesWhatEachContainerMisses() {
    JsonNode pod =
        json(
            "{'spec': {'containers': [{'name': 'a', 'resources': {'requests': {'cpu': '1'}}},"
                + " {'name': 'b'}]}}");
    assertThat(
            evaluators
                .of("", "pods")
                .constraints(Set.of("requests.cpu", "limits.memory", "pods"), pod))
        .contains("must specify limits.memory for: a,b; requests.cpu for: b");
  }

  @Test
  void servicesClaimsAndOtherObjectsCount() {
    JsonNode lb =
        json("{'spec': {'type': 'LoadBalancer', 'ports': [{'port': 80}, {'port': 443}]}}");
    assertThat(printed(evaluators.of("", "services").usage(lb)))
        .isEqualTo(
            Map.of(
                "services", "1",
                "count/services", "1",
                "services.nodeports", "2",
                "services.loadbalancers", "1"));
    JsonNode claim =
        json(
            "{'spec': {'storageClassName': 'gold', 'resources': {'requests': {'storage':"
                + " '5Gi'}}}}");
    assertThat(printed(evaluators.of("", "persistentvolumeclaims").usage(claim)))
        .containsEntry("requests.storage", "5Gi")
        .containsEntry("gold.storageclass.storage.k8s.io/requests.storage", "5Gi")
        .containsEntry("gold.storageclass.storage.k8s.io/persistentvolumeclaims", "1")
        .containsEntry("persistentvolumeclaims", "1");
    assertThat(printed(evaluators.of("", "configmaps").usage(json("{}"))))
        .isEqualTo(Map.of("configmaps", "1", "count/configmaps", "1"));
    UsageEvaluator deployments = evaluators.of("apps", "deployments");
    assertThat(deployments.matches("count/deployments.apps")).isTrue();
    assertThat(printed(deployments.usage(json("{}"))))
        .isEqualTo(Map.of("count/deployments.apps", "1"));
  }
}
