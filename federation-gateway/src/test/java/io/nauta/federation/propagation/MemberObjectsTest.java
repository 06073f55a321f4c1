package io.nauta.federation.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.federation.api.Karmada;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class MemberObjectsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static ObjectNode read(String json) {
    return (ObjectNode) JSON.readTree(json);
  }

  private static final ObjectNode TEMPLATE =
      read(
          """
          {"apiVersion":"apps/v1","kind":"Deployment",
           "metadata":{"name":"web","namespace":"default","uid":"u-1","resourceVersion":"42",
             "generation":3,"creationTimestamp":"2026-01-01T00:00:00Z","finalizers":["x"],
             "ownerReferences":[{"uid":"o"}],"managedFields":[{}],
             "labels":{"app":"web"},
             "annotations":{"deployment.kubernetes.io/revision":"7","note":"n"}},
           "spec":{"replicas":9},"status":{"replicas":9}}
          """);

  private static final MemberObjects.Owner OWNER =
      new MemberObjects.Owner("default", "web-deployment", "id-1", null);

  @Test
  void pruneDropsWhatTheGatewaysServerSet() {
    ObjectNode o = MemberObjects.prune(TEMPLATE);
    assertThat(o.has("status")).isFalse();
    for (String f :
        new String[] {
          "uid",
          "resourceVersion",
          "generation",
          "creationTimestamp",
          "finalizers",
          "ownerReferences",
          "managedFields"
        }) {
      assertThat(o.path("metadata").has(f)).as(f).isFalse();
    }
    assertThat(o.at("/metadata/annotations").has("deployment.kubernetes.io/revision")).isFalse();
    assertThat(o.at("/metadata/annotations/note").asString()).isEqualTo("n");
    assertThat(TEMPLATE.has("status")).isTrue();
  }

  @Test
  void pruneKeepsAHeadlessServicesClusterIpOnly() {
    ObjectNode svc =
        MemberObjects.prune(
            read(
                "{\"kind\":\"Service\",\"metadata\":{\"name\":\"s\"},"
                    + "\"spec\":{\"clusterIP\":\"10.96.0.9\",\"clusterIPs\":[\"10.96.0.9\"]}}"));
    assertThat(svc.path("spec").has("clusterIP")).isFalse();
    ObjectNode headless =
        MemberObjects.prune(
            read(
                "{\"kind\":\"Service\",\"metadata\":{\"name\":\"s\"},\"spec\":{\"clusterIP\":\"None\"}}"));
    assertThat(headless.at("/spec/clusterIP").asString()).isEqualTo("None");
  }

  @Test
  void replicasAreTheClustersShareAndAJobsParallelism() {
    ObjectNode d = MemberObjects.prune(TEMPLATE);
    MemberObjects.reviseReplicas(d, 3);
    assertThat(d.at("/spec/replicas").asInt()).isEqualTo(3);
    ObjectNode job =
        read("{\"kind\":\"Job\",\"metadata\":{\"name\":\"j\"},\"spec\":{\"parallelism\":4}}");
    MemberObjects.reviseReplicas(job, 2);
    assertThat(job.at("/spec/parallelism").asInt()).isEqualTo(2);
  }

  @Test
  void stampNamesTheBindingAndTemplateAsKarmadaDoes() {
    ObjectNode d = MemberObjects.prune(TEMPLATE);
    MemberObjects.stamp(d, TEMPLATE, OWNER, null);
    JsonNode labels = d.at("/metadata/labels");
    JsonNode annotations = d.at("/metadata/annotations");
    assertThat(labels.path(Karmada.MANAGED_BY_KARMADA_LABEL).asString()).isEqualTo("true");
    assertThat(labels.path(Karmada.RESOURCE_BINDING_PERMANENT_ID_LABEL).asString())
        .isEqualTo("id-1");
    assertThat(annotations.path(Karmada.RESOURCE_BINDING_NAME_ANNOTATION).asString())
        .isEqualTo("web-deployment");
    assertThat(annotations.path(Karmada.RESOURCE_BINDING_NAMESPACE_ANNOTATION).asString())
        .isEqualTo("default");
    assertThat(annotations.path(Karmada.RESOURCE_TEMPLATE_UID_ANNOTATION).asString())
        .isEqualTo("u-1");
    assertThat(annotations.path(Karmada.RESOURCE_TEMPLATE_GENERATION_ANNOTATION).asString())
        .isEqualTo("3");
    assertThat(annotations.path(Karmada.CONFLICT_RESOLUTION_ANNOTATION).asString())
        .isEqualTo("abort");
    assertThat(annotations.path(Karmada.MANAGED_LABELS_ANNOTATION).asString())
        .isEqualTo("app,karmada.io/managed,resourcebinding.karmada.io/permanent-id");
  }

  @Test
  void conflictResolutionComesFromTheTemplateFirstThenTheBinding() {
    assertThat(MemberObjects.conflictResolution(read("{}"), "Overwrite")).isEqualTo("overwrite");
    assertThat(MemberObjects.conflictResolution(read("{}"), null)).isEqualTo("abort");
    assertThat(
            MemberObjects.conflictResolution(
                read("{\"" + Karmada.CONFLICT_RESOLUTION_ANNOTATION + "\":\"abort\"}"),
                "Overwrite"))
        .isEqualTo("abort");
    assertThat(
            MemberObjects.conflictResolution(
                read("{\"" + Karmada.CONFLICT_RESOLUTION_ANNOTATION + "\":\"bogus\"}"),
                "Overwrite"))
        .isEqualTo("overwrite");
  }

  @Test
  void onlyManagedObjectsOrAnOverwriteMayBeUpdated() {
    ObjectNode desired = MemberObjects.prune(TEMPLATE);
    MemberObjects.stamp(desired, TEMPLATE, OWNER, null);
    JsonNode foreign = read("{\"metadata\":{\"name\":\"web\",\"labels\":{\"app\":\"web\"}}}");
    JsonNode ours = read("{\"metadata\":{\"labels\":{\"karmada.io/managed\":\"true\"}}}");
    assertThat(MemberObjects.mayUpdate(desired, foreign)).isFalse();
    assertThat(MemberObjects.mayUpdate(desired, ours)).isTrue();
    ObjectNode overwrite = MemberObjects.prune(TEMPLATE);
    MemberObjects.stamp(
        overwrite, TEMPLATE, new MemberObjects.Owner("default", "b", null, "Overwrite"), null);
    assertThat(MemberObjects.mayUpdate(overwrite, foreign)).isTrue();
    assertThat(MemberObjects.belongsTo(foreign, "default", "web-deployment")).isFalse();
  }

  @Test
  void retainKeepsWhatTheMembersControllersAddedButNotWhatTheTemplateDropped() {
    ObjectNode desired = MemberObjects.prune(TEMPLATE);
    MemberObjects.stamp(desired, TEMPLATE, OWNER, null);
    JsonNode observed =
        read(
            """
            {"metadata":{"resourceVersion":"77","finalizers":["member/f"],
              "labels":{"app":"web","old":"gone-from-template","member":"own"},
              "annotations":{"deployment.kubernetes.io/revision":"2",
                "resourcetemplate.karmada.io/managed-labels":"app,old"}}}
            """);
    ObjectNode update = MemberObjects.retain(desired, observed);
    assertThat(update.at("/metadata/resourceVersion").asString()).isEqualTo("77");
    assertThat(update.at("/metadata/finalizers/0").asString()).isEqualTo("member/f");
    assertThat(update.at("/metadata/labels/member").asString()).isEqualTo("own");
    assertThat(update.at("/metadata/labels").has("old")).isFalse();
    assertThat(update.at("/metadata/annotations/deployment.kubernetes.io~1revision").asString())
        .isEqualTo("2");
  }

  @Test
  void retainKeepsAServicesAllocatedAddresses() {
    ObjectNode desired =
        read(
            "{\"kind\":\"Service\",\"metadata\":{\"name\":\"s\"},"
                + "\"spec\":{\"type\":\"NodePort\",\"ports\":[{\"port\":80}]}}");
    JsonNode observed =
        read(
            "{\"metadata\":{\"resourceVersion\":\"5\"},\"spec\":{\"clusterIP\":\"10.96.0.4\","
                + "\"clusterIPs\":[\"10.96.0.4\"],\"ports\":[{\"port\":80,\"protocol\":\"TCP\",\"nodePort\":30080}]}}");
    ObjectNode update = MemberObjects.retain(desired, observed);
    assertThat(update.at("/spec/clusterIP").asString()).isEqualTo("10.96.0.4");
    assertThat(update.at("/spec/ports/0/nodePort").asInt()).isEqualTo(30080);
  }
}
