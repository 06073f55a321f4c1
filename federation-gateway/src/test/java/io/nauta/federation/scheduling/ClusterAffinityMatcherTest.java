package io.nauta.federation.scheduling;

import static io.nauta.federation.scheduling.Fixtures.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.federation.api.Cluster;
import io.nauta.federation.api.ClusterAffinity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

class ClusterAffinityMatcherTest {

  private static final YAMLMapper YAML =
      YAMLMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private static final Cluster USA =
      cluster(
          """
          metadata: {name: usa-3, labels: {env: prod, tier: gold}}
          spec: {provider: aws, region: us-east, zones: [us-east-1a, us-east-1b]}
          """);

  private static final Cluster BARE = cluster("metadata: {name: bare}\n");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{}                                                                     | true  | true",
        "{clusterNames: [usa-3]}                                                | true  | false",
        "{clusterNames: [asia-2]}                                               | false | false",
        "{exclude: [usa-3]}                                                     | false | true",
        "{clusterNames: [usa-3], exclude: [usa-3]}                              | false | false",
        "{labelSelector: {matchLabels: {env: prod}}}                            | true  | false",
        "{labelSelector: {matchExpressions: [{key: tier, operator: NotIn, values: [gold]}]}} | false | true",
        "{labelSelector: {}}                                                    | true  | true",
        "{labelSelector: {matchExpressions: [{key: tier, operator: Bogus}]}}    | false | false",
        "{fieldSelector: {matchExpressions: [{key: provider, operator: In, values: [aws, gcp]}]}} | true | false",
        "{fieldSelector: {matchExpressions: [{key: provider, operator: NotIn, values: [aws]}]}}   | false | true",
        "{fieldSelector: {matchExpressions: [{key: region, operator: Exists}]}}                   | true | false",
        "{fieldSelector: {matchExpressions: [{key: region, operator: DoesNotExist}]}}             | false | true",
        "{fieldSelector: {matchExpressions: [{key: region, operator: In}]}}                       | false | false",
        "{fieldSelector: {matchExpressions: [{key: zone, operator: In, values: [us-east-1b]}]}}   | true | false",
        "{fieldSelector: {matchExpressions: [{key: zone, operator: NotIn, values: [us-east-1b]}]}}| false | true",
        "{fieldSelector: {matchExpressions: [{key: zone, operator: Exists}]}}                     | true | false",
        "{fieldSelector: {matchExpressions: [{key: zone, operator: DoesNotExist}]}}               | false | true",
        "{fieldSelector: {matchExpressions: [{key: zone, operator: Gt, values: ['1']}]}}          | false | false",
        "{fieldSelector: {matchExpressions: [{key: region, operator: In, values: [us-east]}]}, clusterNames: [usa-3], labelSelector: {matchLabels: {env: prod}}} | true | false",
      })
  void matchesAsKarmadaClusterMatches(String affinity, boolean usa, boolean bare) {
    ClusterAffinity parsed = YAML.readValue(affinity, ClusterAffinity.class);
    assertThat(ClusterAffinityMatcher.matches(USA, parsed)).isEqualTo(usa);
    assertThat(ClusterAffinityMatcher.matches(BARE, parsed)).isEqualTo(bare);
  }

  @ParameterizedTest
  @CsvSource({"zone-a, true", "zone-b, false"})
  void theDeprecatedSingleZoneCountsWhenZonesIsEmpty(String zone, boolean matches) {
    Cluster single = cluster("metadata: {name: z}\nspec: {zone: zone-a}\n");
    ClusterAffinity affinity =
        YAML.readValue(
            "{fieldSelector: {matchExpressions: [{key: zone, operator: In, values: ["
                + zone
                + "]}]}}",
            ClusterAffinity.class);
    assertThat(ClusterAffinityMatcher.matches(single, affinity)).isEqualTo(matches);
  }
}
