package io.nauta.federation.scheduling;

import static io.nauta.federation.scheduling.Fixtures.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.federation.api.ReplicaRequirements;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

class ReplicaEstimatorTest {

  private static final YAMLMapper YAML =
      YAMLMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  @ParameterizedTest(name = "{0} / {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // no summary: nothing fits
        "{}                                                                    | {cpu: 100m}            | 0",
        // pods bound a template without requests
        "{allocatable: {pods: '110'}, allocated: {pods: '10'}, allocating: {pods: '20'}} | {}           | 80",
        "{allocatable: {pods: '10'}, allocated: {pods: '12'}}                  | {}                     | 0",
        // CPU in millicores
        "{allocatable: {pods: '110', cpu: '2'}, allocated: {cpu: 250m}}        | {cpu: 250m}            | 7",
        // the smallest bound wins
        "{allocatable: {pods: '110', cpu: '8', memory: 1Gi}}                   | {cpu: 1, memory: 300Mi} | 3",
        "{allocatable: {pods: '2', cpu: '8'}}                                  | {cpu: 1}               | 2",
        // a requested resource the cluster does not report
        "{allocatable: {pods: '110', cpu: '8'}}                                | {nvidia.com/gpu: 1}    | 0",
        // zero requests are ignored
        "{allocatable: {pods: '5'}}                                            | {cpu: '0'}             | 5",
        // nothing left
        "{allocatable: {pods: '110', cpu: '1'}, allocated: {cpu: '1'}}         | {cpu: 100m}            | 0",
      })
  void estimatesAsKarmadasGeneralEstimator(String summary, String requests, int expected) {
    var cluster = cluster("metadata: {name: c}\nstatus: {resourceSummary: " + summary + "}\n");
    ReplicaRequirements requirements =
        YAML.readValue("{resourceRequest: " + requests + "}", ReplicaRequirements.class);
    assertThat(ReplicaEstimator.maxAvailableReplicas(cluster, requirements)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"'', 0x811c9dc5", "a, 0xe40c292c", "foobar, 0xbf9cf968"})
  void hashesUidsWithFnv32aAsGo(String input, String expected) {
    assertThat(Webster.fnv32a(input))
        .isEqualTo(Integer.parseUnsignedInt(expected.substring(2), 16));
  }
}
