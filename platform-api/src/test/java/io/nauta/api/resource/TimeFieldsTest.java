package io.nauta.api.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceType;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class TimeFieldsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final List<String> METADATA =
      List.of(
          "metadata.creationTimestamp=Time",
          "metadata.deletionTimestamp=Time",
          "metadata.managedFields[].time=Time");

  private static final ResourceType WIDGETS =
      new ResourceType(
          "example.com",
          "v1",
          "Widget",
          "widgets",
          "widget",
          true,
          List.of(),
          List.of(),
          Set.of(),
          GenericKubernetesResource.class);

  private static ObjectNode json(String text) {
    return (ObjectNode) JSON.readTree(text);
  }

  private static ObjectNode lease(String renewTime) {
    return json(
        "{\"metadata\":{\"name\":\"l\"},\"spec\":{\"holderIdentity\":\"a\",\"renewTime\":\""
            + renewTime
            + "\"}}");
  }

  private static void normalize(ObjectNode obj, ResourceType type) {
    TimeFields.of(type).normalize(obj, type);
  }

  // ---- where the times are, from the model and upstream's definitions

  @Test
  void aPodsTimesAreFoundInItsMetadataConditionsAndContainerStates() {
    assertThat(TimeFields.of(BuiltInResources.PODS).paths())
        .containsAll(METADATA)
        .contains(
            "status.conditions[].lastProbeTime=Time",
            "status.conditions[].lastTransitionTime=Time",
            "status.startTime=Time",
            "status.containerStatuses[].state.running.startedAt=Time",
            "status.containerStatuses[].state.terminated.finishedAt=Time",
            "status.containerStatuses[].lastState.terminated.startedAt=Time",
            "status.initContainerStatuses[].state.running.startedAt=Time",
            "status.ephemeralContainerStatuses[].lastState.running.startedAt=Time")
        // In the spec, only the ObjectMeta of an ephemeral volume's claim template.
        .filteredOn(p -> p.startsWith("spec."))
        .containsExactlyInAnyOrder(
            "spec.volumes[].ephemeral.volumeClaimTemplate.metadata.creationTimestamp=Time",
            "spec.volumes[].ephemeral.volumeClaimTemplate.metadata.deletionTimestamp=Time",
            "spec.volumes[].ephemeral.volumeClaimTemplate.metadata.managedFields[].time=Time");
  }

  @Test
  void microTimesAreFoundWhereTheModelHasThem() {
    assertThat(TimeFields.of(BuiltInResources.LEASES).paths())
        .containsExactlyInAnyOrderElementsOf(
            concat(METADATA, "spec.acquireTime=MicroTime", "spec.renewTime=MicroTime"));
    assertThat(TimeFields.of(BuiltInResources.EVENTS).paths())
        .containsExactlyInAnyOrderElementsOf(
            concat(
                METADATA,
                "eventTime=MicroTime",
                "series.lastObservedTime=MicroTime",
                "firstTimestamp=Time",
                "lastTimestamp=Time"));
  }

  @Test
  void listsMapsAndNestedKindsAreFollowed() {
    assertThat(TimeFields.of(BuiltInResources.POD_DISRUPTION_BUDGETS).paths())
        .contains("status.disruptedPods{}=Time", "status.conditions[].lastTransitionTime=Time");
    assertThat(TimeFields.of(BuiltInResources.NODES).paths())
        .contains(
            "spec.taints[].timeAdded=Time",
            "status.conditions[].lastHeartbeatTime=Time",
            "status.conditions[].lastTransitionTime=Time");
    assertThat(TimeFields.of(BuiltInResources.CRONJOBS).paths())
        .contains("status.lastScheduleTime=Time", "status.lastSuccessfulTime=Time")
        // The job template's metadata is an ObjectMeta too.
        .contains("spec.jobTemplate.metadata.creationTimestamp=Time");
    assertThat(TimeFields.of(BuiltInResources.CUSTOM_RESOURCE_DEFINITIONS).paths())
        .contains("status.conditions[].lastTransitionTime=Time");
  }

  @Test
  void theTimesOfKindsInOtherGroupsAreFoundByTheirUpstreamDefinitions() {
    assertThat(TimeFields.of(BuiltInResources.HORIZONTAL_POD_AUTOSCALERS).paths())
        .contains("status.lastScaleTime=Time", "status.conditions[].lastTransitionTime=Time");
    assertThat(TimeFields.of(BuiltInResources.HORIZONTAL_POD_AUTOSCALERS_V1).paths())
        .contains("status.lastScaleTime=Time");
    assertThat(TimeFields.of(BuiltInResources.DEPLOYMENTS).paths())
        .contains(
            "status.conditions[].lastUpdateTime=Time",
            "status.conditions[].lastTransitionTime=Time");
    assertThat(TimeFields.of(BuiltInResources.JOBS).paths())
        .contains("status.startTime=Time", "status.completionTime=Time");
    assertThat(TimeFields.of(BuiltInResources.CERTIFICATE_SIGNING_REQUESTS).paths())
        .contains("status.conditions[].lastUpdateTime=Time");
    assertThat(TimeFields.of(BuiltInResources.FLOW_SCHEMAS).paths())
        .contains("status.conditions[].lastTransitionTime=Time");
    assertThat(TimeFields.of(BuiltInResources.NAMESPACES).paths())
        .contains("status.conditions[].lastTransitionTime=Time");
  }

  @Test
  void aKindWithoutTimesOfItsOwnHasOnlyItsMetadatas() {
    assertThat(TimeFields.of(BuiltInResources.CONFIGMAPS).paths())
        .containsExactlyInAnyOrderElementsOf(METADATA);
  }

  @Test
  void aCustomResourceHasOnlyItsMetadatas() {
    assertThat(TimeFields.of(WIDGETS).paths()).containsExactlyInAnyOrderElementsOf(METADATA);
  }

  @Test
  void theDerivationIsDoneOncePerModelClass() {
    assertThat(TimeFields.of(BuiltInResources.PODS)).isSameAs(TimeFields.of(BuiltInResources.PODS));
  }

  // ---- the write

  @Test
  void anyRfc3339OffsetIsWrittenBackInUtcWithSixDigits() {
    ObjectNode python = lease("2026-12-06T13:58:16.100169+00:00");
    normalize(python, BuiltInResources.LEASES);
    assertThat(python.at("/spec/renewTime").asString()).isEqualTo("2026-12-06T13:58:16.100169Z");

    ObjectNode shifted = lease("2026-12-06T15:58:16+02:00");
    normalize(shifted, BuiltInResources.LEASES);
    assertThat(shifted.at("/spec/renewTime").asString()).isEqualTo("2026-12-06T13:58:16.000000Z");

    ObjectNode nanos = lease("2026-12-06T13:58:16.123456789Z");
    normalize(nanos, BuiltInResources.LEASES);
    assertThat(nanos.at("/spec/renewTime").asString()).isEqualTo("2026-12-06T13:58:16.123456Z");
  }

  @Test
  void notATimeIsKubernetesBadRequestAndKindsWithoutMicroTimeAreLeftAlone() {
    assertThatThrownBy(() -> normalize(lease("yesterday"), BuiltInResources.LEASES))
        .isInstanceOf(BadRequestException.class)
        .hasMessage(
            "Lease in version \"v1\" cannot be handled as a Lease: parsing time \"yesterday\" as"
                + " \"2006-01-02T15:04:05.000000Z07:00\": cannot parse \"yesterday\" as \"2006\"");
    ObjectNode configMap = lease("not a time, and not a MicroTime field");
    normalize(configMap, BuiltInResources.CONFIGMAPS);
    assertThat(configMap.at("/spec/renewTime").asString())
        .isEqualTo("not a time, and not a MicroTime field");
  }

  @Test
  void aConditionsTimeIsWrittenInUtcWholeSeconds() {
    ObjectNode pod =
        json(
            """
            {"metadata":{"name":"p","managedFields":[{"manager":"m","time":"2024-01-01T10:00:00+02:00"}]},
             "status":{"conditions":[
               {"type":"Ready","status":"True","lastTransitionTime":"2024-01-01T10:00:00.123+02:00",
                "lastProbeTime":null},
               {"type":"Other","status":"True","lastTransitionTime":"0001-01-01T00:00:00Z"}],
              "containerStatuses":[{"name":"c","state":{"running":{"startedAt":"2024-01-01T08:00:00.5Z"}}}]}}
            """);
    normalize(pod, BuiltInResources.PODS);
    assertThat(pod.at("/status/conditions/0/lastTransitionTime").asString())
        .isEqualTo("2024-01-01T08:00:00Z");
    assertThat(pod.at("/status/conditions/0/lastProbeTime").isNull()).isTrue();
    // Go's zero time is written null.
    assertThat(pod.at("/status/conditions/1/lastTransitionTime").isNull()).isTrue();
    assertThat(pod.at("/status/containerStatuses/0/state/running/startedAt").asString())
        .isEqualTo("2024-01-01T08:00:00Z");
    assertThat(pod.at("/metadata/managedFields/0/time").asString())
        .isEqualTo("2024-01-01T08:00:00Z");
  }

  @Test
  void aNonStringTimeIsGosTypeError() {
    ObjectNode pod =
        json(
            "{\"metadata\":{\"name\":\"p\"},\"status\":{\"conditions\":[{\"type\":\"Ready\","
                + "\"status\":\"True\",\"lastTransitionTime\":5}]}}");
    assertThatThrownBy(() -> normalize(pod, BuiltInResources.PODS))
        .isInstanceOf(BadRequestException.class)
        .hasMessage(
            "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal number into"
                + " Go struct field PodCondition.status.conditions.lastTransitionTime of type"
                + " string");
  }

  @Test
  void mapValuesAreTimesToo() {
    ObjectNode pdb =
        json(
            "{\"metadata\":{\"name\":\"b\"},\"status\":{\"disruptedPods\":"
                + "{\"p1\":\"2024-01-01T10:00:00-01:00\",\"p2\":\"2024-01-01T08:00:00Z\"}}}");
    normalize(pdb, BuiltInResources.POD_DISRUPTION_BUDGETS);
    assertThat(pdb.at("/status/disruptedPods/p1").asString()).isEqualTo("2024-01-01T11:00:00Z");
    assertThat(pdb.at("/status/disruptedPods/p2").asString()).isEqualTo("2024-01-01T08:00:00Z");
  }

  @Test
  void aCustomResourceKeepsItsDateTimesAsSentAndDropsMalformedMetadataTimes() {
    ObjectNode widget =
        json(
            """
            {"metadata":{"name":"w","creationTimestamp":"2024-01-01T10:00:00+02:00",
              "deletionTimestamp":"soon"},
             "spec":{"when":"2024-01-01T10:00:00.123+02:00","lastTransitionTime":"whenever"},
             "status":{"conditions":[{"lastTransitionTime":"2024-01-01T10:00:00.123+02:00"}]}}
            """);
    normalize(widget, WIDGETS);
    assertThat(widget.at("/spec/when").asString()).isEqualTo("2024-01-01T10:00:00.123+02:00");
    assertThat(widget.at("/spec/lastTransitionTime").asString()).isEqualTo("whenever");
    assertThat(widget.at("/status/conditions/0/lastTransitionTime").asString())
        .isEqualTo("2024-01-01T10:00:00.123+02:00");
    assertThat(widget.at("/metadata/creationTimestamp").asString())
        .isEqualTo("2024-01-01T08:00:00Z");
    assertThat(widget.at("/metadata").has("deletionTimestamp")).isFalse();
  }

  private static List<String> concat(List<String> a, String... b) {
    return java.util.stream.Stream.concat(a.stream(), java.util.Arrays.stream(b)).toList();
  }
}
