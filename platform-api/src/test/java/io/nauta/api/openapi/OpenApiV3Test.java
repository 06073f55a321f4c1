package io.nauta.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.registry.ResourceRegistry;
import io.nauta.core.registry.ResourceType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class OpenApiV3Test {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final ResourceRegistry REGISTRY = BuiltInResources.registry();
  private static final OpenApiV3 OPENAPI = new OpenApiV3(REGISTRY, MAPPER);

  private static ObjectNode doc(String path) {
    return OPENAPI.document(path).orElseThrow();
  }

  private static JsonNode schema(ObjectNode doc, String name) {
    JsonNode s = doc.path("components").path("schemas").get(name);
    assertThat(s).as("schema %s", name).isNotNull();
    return s;
  }

  @Test
  void indexListsEveryGroupVersionWithAHashedUrl() {
    JsonNode paths = OPENAPI.index().path("paths");

    assertThat(paths.propertyNames())
        .containsExactlyInAnyOrder(
            "api/v1",
            "apis/apps/v1",
            "apis/autoscaling/v2",
            "apis/autoscaling/v1",
            "apis/policy/v1",
            "apis/batch/v1",
            "apis/coordination.k8s.io/v1",
            "apis/rbac.authorization.k8s.io/v1",
            "apis/storage.k8s.io/v1",
            "apis/networking.k8s.io/v1",
            "apis/discovery.k8s.io/v1",
            "apis/authorization.k8s.io/v1",
            "apis/authentication.k8s.io/v1",
            "apis/certificates.k8s.io/v1",
            "apis/flowcontrol.apiserver.k8s.io/v1",
            "apis/apiextensions.k8s.io/v1",
            "apis/metrics.k8s.io/v1beta1",
            "apis/events.k8s.io/v1",
            "api",
            "apis");
    for (String path : paths.propertyNames()) {
      String url = paths.path(path).path("serverRelativeURL").asString();
      assertThat(url)
          .matches("/openapi/v3/" + path.replace(".", "\\.") + "\\?hash=[0-9A-F]{128}")
          .endsWith("=" + OPENAPI.hash(path).orElseThrow());
      assertThat(OPENAPI.document(path)).isPresent();
    }
  }

  @Test
  void certificateSigningRequestsHaveTheirApprovalSubresource() {
    JsonNode paths = OPENAPI.document("apis/certificates.k8s.io/v1").orElseThrow().path("paths");

    JsonNode approval =
        paths.path("/apis/certificates.k8s.io/v1/certificatesigningrequests/{name}/approval");
    assertThat(approval.path("put").path("operationId").asString())
        .isEqualTo("replaceCertificatesV1CertificateSigningRequestApproval");
    assertThat(approval.has("get")).isTrue();
    assertThat(approval.has("patch")).isTrue();
    assertThat(paths.has("/apis/certificates.k8s.io/v1/certificatesigningrequests/{name}/status"))
        .isTrue();
  }

  @Test
  void aCustomResourceGetsItsDocumentFromItsSchemaAndLosesItWhenRemoved() {
    ResourceRegistry registry = BuiltInResources.registry();
    ResourceType widget =
        new ResourceType(
            "example.com",
            "v1",
            "Widget",
            "widgets",
            "widget",
            true,
            List.of("wd"),
            List.of(),
            Set.of("status"),
            GenericKubernetesResource.class);
    ObjectNode schema =
        (ObjectNode)
            MAPPER.readTree(
                "{\"type\":\"object\",\"description\":\"A widget.\",\"properties\":"
                    + "{\"spec\":{\"type\":\"object\",\"properties\":{\"size\":"
                    + "{\"type\":\"integer\",\"description\":\"How big.\"}}}}}");
    OpenApiV3 openApi =
        new OpenApiV3(
            registry,
            MAPPER,
            t -> t.group().equals("example.com") ? Optional.of(schema) : Optional.empty());
    String coreHash = openApi.hash("api/v1").orElseThrow();

    registry.put(new ResourceRegistry.ResourceSet("widgets.example.com", List.of(widget), widget));
    openApi.rebuild();

    ObjectNode doc = openApi.document("apis/example.com/v1").orElseThrow();
    JsonNode kind = schema(doc, "com.example.v1.Widget");
    assertThat(kind.path("description").asString()).isEqualTo("A widget.");
    assertThat(kind.at("/properties/spec/properties/size/description").asString())
        .isEqualTo("How big.");
    assertThat(kind.at("/properties/metadata/allOf/0/$ref").asString())
        .isEqualTo("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    assertThat(kind.path("x-kubernetes-group-version-kind").toString())
        .isEqualTo("[{\"group\":\"example.com\",\"kind\":\"Widget\",\"version\":\"v1\"}]");
    assertThat(
            schema(doc, "com.example.v1.WidgetList").at("/properties/items/items/$ref").asString())
        .isEqualTo("#/components/schemas/com.example.v1.Widget");
    assertThat(
            doc.path("paths")
                .has("/apis/example.com/v1/namespaces/{namespace}/widgets/{name}/status"))
        .isTrue();
    // No strategic merge patch for a custom resource: kubectl apply reads this and sends a JSON
    // merge patch (a strategic one would get a 415).
    for (String item :
        List.of(
            "/apis/example.com/v1/namespaces/{namespace}/widgets/{name}",
            "/apis/example.com/v1/namespaces/{namespace}/widgets/{name}/status")) {
      assertThat(doc.path("paths").path(item).at("/patch/requestBody/content").propertyNames())
          .as(item)
          .containsExactlyInAnyOrder(
              "application/apply-patch+yaml",
              "application/json-patch+json",
              "application/merge-patch+json");
    }
    assertThat(openApi.index().path("paths").has("apis/example.com/v1")).isTrue();
    assertThat(
            schema(openApi.document("apis/apps/v1").orElseThrow(), "io.k8s.api.apps.v1.Deployment"))
        .isNotNull();

    registry.remove("widgets.example.com");
    openApi.rebuild();
    assertThat(openApi.document("apis/example.com/v1")).isEmpty();
    assertThat(openApi.index().path("paths").has("apis/example.com/v1")).isFalse();
    assertThat(openApi.hash("api/v1")).contains(coreHash);
  }

  @Test
  void documentsAndHashesAreStableAcrossInstances() {
    OpenApiV3 again = new OpenApiV3(BuiltInResources.registry(), MAPPER);

    assertThat(again.index()).isEqualTo(OPENAPI.index());
    assertThat(again.documentJson("api/v1").orElseThrow())
        .isEqualTo(OPENAPI.documentJson("api/v1").orElseThrow());
  }

  @Test
  void everyDocumentDeclaresKubernetesBearerTokenSchemeAndEveryOperationRequiresIt() {
    for (String path : OPENAPI.paths()) {
      ObjectNode doc = doc(path);
      JsonNode scheme = doc.path("components").path("securitySchemes").path("BearerToken");
      assertThat(scheme.path("type").asString()).as(path).isEqualTo("apiKey");
      assertThat(scheme.path("in").asString()).as(path).isEqualTo("header");
      assertThat(scheme.path("name").asString()).as(path).isEqualTo("authorization");
      assertThat(scheme.path("description").asString())
          .as(path)
          .isEqualTo("Bearer Token authentication");
      int operations = 0;
      for (JsonNode item : doc.path("paths")) {
        for (String method : List.of("get", "put", "post", "delete", "patch")) {
          JsonNode op = item.path(method);
          if (!op.isMissingNode()) {
            operations++;
            assertThat(op.path("security").toString())
                .as("%s %s", path, op.path("operationId").asString())
                .isEqualTo("[{\"BearerToken\":[]}]");
          }
        }
      }
      assertThat(operations).as(path).isPositive();
    }
  }

  @Test
  void findsDocumentsWithOrWithoutPrefixAndNotUnknownOnes() {
    assertThat(OPENAPI.document("/openapi/v3/apis/apps/v1")).isPresent();
    assertThat(OPENAPI.document("/apis/apps/v1/")).isPresent();
    assertThat(OPENAPI.document("apis/policy/v1beta1")).isEmpty();
    assertThat(OPENAPI.document("")).isEmpty();
  }

  @Test
  void everyDocumentIsOpenApi300JsonMatchingItsTree() {
    for (String path : OPENAPI.paths()) {
      JsonNode parsed = MAPPER.readTree(OPENAPI.documentJson(path).orElseThrow());
      assertThat(parsed.path("openapi").asString()).isEqualTo("3.0.0");
      assertThat(parsed.path("info").path("title").isString()).isTrue();
      assertThat(parsed.path("paths").size()).isPositive();
      assertThat(parsed).isEqualTo(doc(path));
    }
  }

  /** What kubectl's QueryParamVerifierV3 checks before sending fieldValidation on a PATCH. */
  @ParameterizedTest
  @MethodSource("kinds")
  void everyPatchOfAKindDeclaresFieldValidationAndStrategicMerge(
      String path, String group, String kind) {
    int patches = 0;
    JsonNode paths = doc(path).path("paths");
    for (String p : paths.propertyNames()) {
      JsonNode patch = paths.path(p).get("patch");
      if (patch == null || !gvkIs(patch.path("x-kubernetes-group-version-kind"), group, kind)) {
        continue;
      }
      patches++;
      assertThat(patch.path("x-kubernetes-action").asString()).isEqualTo("patch");
      assertThat(queryParams(patch)).contains("fieldValidation", "fieldManager", "dryRun");
      assertThat(patch.path("requestBody").path("content").propertyNames())
          .contains(
              "application/strategic-merge-patch+json",
              "application/merge-patch+json",
              "application/json-patch+json",
              "application/apply-patch+yaml");
    }
    assertThat(patches).as("PATCH operations of %s", kind).isPositive();
  }

  /** Stored kinds: reviews (TokenReview…) are create-only and have no PATCH. */
  static Stream<Arguments> kinds() {
    return REGISTRY.all().stream()
        .filter(t -> t.verbs().contains("patch"))
        .map(t -> Arguments.of(t.groupVersionPath().substring(1), t.group(), t.kind()));
  }

  @Test
  void accessReviewsArePostedOnly() {
    JsonNode paths = doc("apis/authorization.k8s.io/v1").path("paths");
    assertThat(paths.propertyNames())
        .containsExactlyInAnyOrder(
            "/apis/authorization.k8s.io/v1/",
            "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
            "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
            "/apis/authorization.k8s.io/v1/subjectaccessreviews",
            "/apis/authorization.k8s.io/v1/namespaces/{namespace}/localsubjectaccessreviews");
    JsonNode review = paths.path("/apis/authorization.k8s.io/v1/subjectaccessreviews");
    assertThat(review.path("post").path("operationId").asString())
        .isEqualTo("createAuthorizationV1SubjectAccessReview");
    assertThat(review.has("get")).isFalse();
    assertThat(review.has("delete")).isFalse();
  }

  @Test
  void podPathsCarryTheActionsAndParametersKubernetesDeclares() {
    JsonNode paths = doc("api/v1").path("paths");

    JsonNode item = paths.path("/api/v1/namespaces/{namespace}/pods/{name}");
    assertThat(item.path("patch").path("operationId").asString())
        .isEqualTo("patchCoreV1NamespacedPod");
    assertThat(item.path("get").path("x-kubernetes-action").asString()).isEqualTo("get");
    assertThat(item.path("put").path("x-kubernetes-action").asString()).isEqualTo("put");
    assertThat(queryParams(item.path("delete")))
        .contains("gracePeriodSeconds", "propagationPolicy");
    assertThat(item.path("parameters").findValuesAsString("name")).contains("name", "namespace");

    JsonNode collection = paths.path("/api/v1/namespaces/{namespace}/pods");
    assertThat(collection.path("get").path("x-kubernetes-action").asString()).isEqualTo("list");
    assertThat(queryParams(collection.path("get")))
        .contains(
            "labelSelector",
            "fieldSelector",
            "limit",
            "continue",
            "resourceVersion",
            "resourceVersionMatch",
            "watch",
            "allowWatchBookmarks",
            "timeoutSeconds");
    assertThat(collection.path("post").path("x-kubernetes-action").asString()).isEqualTo("post");
    assertThat(queryParams(collection.path("post")))
        .contains("dryRun", "fieldManager", "fieldValidation");
    assertThat(collection.path("delete").path("x-kubernetes-action").asString())
        .isEqualTo("deletecollection");
    assertThat(
            collection
                .path("get")
                .path("responses")
                .path("200")
                .path("content")
                .path("application/json")
                .path("schema")
                .path("$ref")
                .asString())
        .isEqualTo("#/components/schemas/io.k8s.api.core.v1.PodList");

    assertThat(paths.path("/api/v1/pods").path("get").path("operationId").asString())
        .isEqualTo("listCoreV1PodForAllNamespaces");
    assertThat(paths.has("/api/v1/namespaces/{namespace}/pods/{name}/status")).isTrue();
    JsonNode binding =
        paths.path("/api/v1/namespaces/{namespace}/pods/{name}/binding").path("post");
    assertThat(binding.path("x-kubernetes-group-version-kind").path("kind").asString())
        .isEqualTo("Binding");
    assertThat(
            paths
                .path("/api/v1/watch/namespaces/{namespace}/pods")
                .path("get")
                .path("x-kubernetes-action")
                .asString())
        .isEqualTo("watchlist");
    assertThat(paths.path("/api/v1/nodes/{name}").path("parameters").findValuesAsString("name"))
        .doesNotContain("namespace");
  }

  @Test
  void reviewsAreCreateOnlyAndServiceAccountsHaveTheTokenRequestSubresource() {
    JsonNode auth = doc("apis/authentication.k8s.io/v1").path("paths");
    JsonNode reviews = auth.path("/apis/authentication.k8s.io/v1/tokenreviews");
    assertThat(reviews.propertyNames()).doesNotContain("get", "put", "patch", "delete");
    assertThat(reviews.path("post").path("operationId").asString())
        .isEqualTo("createAuthenticationV1TokenReview");
    assertThat(auth.has("/apis/authentication.k8s.io/v1/tokenreviews/{name}")).isFalse();

    JsonNode token =
        doc("api/v1")
            .path("paths")
            .path("/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token");
    assertThat(token.path("post").path("x-kubernetes-group-version-kind").path("kind").asString())
        .isEqualTo("TokenRequest");
  }

  @Test
  void scaleSubresourceSpeaksAutoscalingV1Scale() {
    ObjectNode apps = doc("apis/apps/v1");
    JsonNode patch =
        apps.path("paths")
            .path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale")
            .path("patch");

    assertThat(patch.path("x-kubernetes-group-version-kind").path("group").asString())
        .isEqualTo("autoscaling");
    assertThat(patch.path("operationId").asString())
        .isEqualTo("patchAppsV1NamespacedDeploymentScale");
    JsonNode scale = schema(apps, "io.k8s.api.autoscaling.v1.Scale");
    assertThat(gvkIs(scale.path("x-kubernetes-group-version-kind").get(0), "autoscaling", "Scale"))
        .isTrue();
  }

  @Test
  void everyOperationIdIsUniqueWithinADocument() {
    for (String path : OPENAPI.paths()) {
      Set<String> ids = new HashSet<>();
      JsonNode paths = doc(path).path("paths");
      for (String p : paths.propertyNames()) {
        for (String method : List.of("get", "put", "post", "patch", "delete")) {
          JsonNode op = paths.path(p).get(method);
          if (op != null) {
            assertThat(ids.add(op.path("operationId").asString()))
                .as("duplicate %s in %s", op.path("operationId"), path)
                .isTrue();
          }
        }
      }
    }
  }

  @Test
  void podSchemaCarriesItsKindAndRefersToPodSpec() {
    ObjectNode core = doc("api/v1");
    JsonNode pod = schema(core, "io.k8s.api.core.v1.Pod");

    assertThat(pod.path("x-kubernetes-group-version-kind")).hasSize(1);
    assertThat(gvkIs(pod.path("x-kubernetes-group-version-kind").get(0), "", "Pod")).isTrue();
    assertThat(pod.path("x-kubernetes-group-version-kind").get(0).path("version").asString())
        .isEqualTo("v1");
    assertThat(refOf(pod.path("properties").path("spec")))
        .isEqualTo("#/components/schemas/io.k8s.api.core.v1.PodSpec");
    assertThat(refOf(pod.path("properties").path("metadata")))
        .isEqualTo("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    assertThat(
            gvkIs(
                schema(core, "io.k8s.api.core.v1.PodList")
                    .path("x-kubernetes-group-version-kind")
                    .get(0),
                "",
                "PodList"))
        .isTrue();
    JsonNode spec = schema(core, "io.k8s.api.core.v1.PodSpec");
    assertThat(spec.path("properties").path("containers").path("type").asString())
        .isEqualTo("array");
    assertThat(
            spec.path("properties")
                .path("nodeSelector")
                .path("additionalProperties")
                .path("type")
                .asString())
        .isEqualTo("string");
    assertThat(
            spec.path("properties").path("terminationGracePeriodSeconds").path("format").asString())
        .isEqualTo("int64");
    assertThat(spec.path("properties").path("hostNetwork").path("type").asString())
        .isEqualTo("boolean");
    assertThat(
            schema(core, "io.k8s.api.core.v1.ContainerPort")
                .path("properties")
                .path("containerPort")
                .path("format")
                .asString())
        .isEqualTo("int32");
    assertThat(
            gvkIs(
                schema(core, SchemaNames.STATUS).path("x-kubernetes-group-version-kind").get(0),
                "",
                "Status"))
        .isTrue();
    assertThat(schema(core, SchemaNames.DELETE_OPTIONS).has("x-kubernetes-group-version-kind"))
        .isTrue();
  }

  @Test
  void deploymentAndLeaseSchemasLiveInTheirGroups() {
    ObjectNode apps = doc("apis/apps/v1");
    JsonNode deployment = schema(apps, "io.k8s.api.apps.v1.Deployment");
    assertThat(
            gvkIs(deployment.path("x-kubernetes-group-version-kind").get(0), "apps", "Deployment"))
        .isTrue();
    assertThat(
            refOf(
                schema(apps, "io.k8s.api.apps.v1.DeploymentSpec")
                    .path("properties")
                    .path("template")))
        .isEqualTo("#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec");

    ObjectNode coordination = doc("apis/coordination.k8s.io/v1");
    JsonNode leaseSpec = schema(coordination, "io.k8s.api.coordination.v1.LeaseSpec");
    assertThat(leaseSpec.path("properties").path("renewTime").path("format").asString())
        .isEqualTo("date-time");
    // A metav1.Time, which the model keeps as a plain string, is a date-time as upstream's is.
    ObjectNode core = doc("api/v1");
    assertThat(
            schema(core, "io.k8s.api.core.v1.PodCondition")
                .at("/properties/lastTransitionTime/format")
                .asString())
        .isEqualTo("date-time");
    assertThat(
            schema(core, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
                .at("/properties/creationTimestamp/format")
                .asString())
        .isEqualTo("date-time");
    assertThat(
            schema(core, "io.k8s.api.core.v1.PodCondition")
                .at("/properties/reason/format")
                .isMissingNode())
        .isTrue();
  }

  @Test
  void intOrStringAndQuantityAreStringsAsUpstreamDescribesThem() {
    ObjectNode core = doc("api/v1");

    JsonNode intOrString = schema(core, "io.k8s.apimachinery.pkg.util.intstr.IntOrString");
    assertThat(intOrString.path("type").asString()).isEqualTo("string");
    assertThat(intOrString.path("format").asString()).isEqualTo("int-or-string");
    assertThat(intOrString.path("x-kubernetes-int-or-string").asBoolean()).isTrue();
    assertThat(intOrString.has("properties")).isFalse();
    assertThat(
            refOf(
                schema(core, "io.k8s.api.core.v1.ServicePort")
                    .path("properties")
                    .path("targetPort")))
        .endsWith("IntOrString");

    JsonNode quantity = schema(core, "io.k8s.apimachinery.pkg.api.resource.Quantity");
    assertThat(quantity.path("type").asString()).isEqualTo("string");
    assertThat(quantity.has("properties")).isFalse();
    JsonNode limits =
        schema(core, "io.k8s.api.core.v1.ResourceRequirements").path("properties").path("limits");
    assertThat(limits.path("type").asString()).isEqualTo("object");
    assertThat(refOf(limits.path("additionalProperties"))).endsWith("resource.Quantity");
  }

  /**
   * Table: schema, property, strategy, merge key (null for none), list-map-keys (null for none).
   */
  static Stream<Arguments> patchRules() {
    return Stream.of(
        Arguments.of("api/v1", "io.k8s.api.core.v1.PodSpec", "containers", "merge", "name", "name"),
        Arguments.of(
            "api/v1", "io.k8s.api.core.v1.PodSpec", "initContainers", "merge", "name", "name"),
        Arguments.of(
            "api/v1", "io.k8s.api.core.v1.PodSpec", "ephemeralContainers", "merge", "name", "name"),
        Arguments.of(
            "api/v1", "io.k8s.api.core.v1.PodSpec", "volumes", "merge,retainKeys", "name", "name"),
        Arguments.of(
            "api/v1", "io.k8s.api.core.v1.PodSpec", "imagePullSecrets", "merge", "name", "name"),
        Arguments.of(
            "api/v1",
            "io.k8s.api.core.v1.Container",
            "ports",
            "merge",
            "containerPort",
            "containerPort,protocol"),
        Arguments.of("api/v1", "io.k8s.api.core.v1.Container", "env", "merge", "name", "name"),
        Arguments.of(
            "api/v1",
            "io.k8s.api.core.v1.Container",
            "volumeMounts",
            "merge",
            "mountPath",
            "mountPath"),
        Arguments.of(
            "api/v1",
            "io.k8s.api.core.v1.EphemeralContainer",
            "ports",
            "merge",
            "containerPort",
            "containerPort,protocol"),
        Arguments.of("api/v1", SchemaNames.META + "ObjectMeta", "finalizers", "merge", null, null),
        Arguments.of(
            "api/v1", SchemaNames.META + "ObjectMeta", "ownerReferences", "merge", "uid", "uid"),
        Arguments.of(
            "api/v1", "io.k8s.api.core.v1.ServiceSpec", "ports", "merge", "port", "port,protocol"),
        Arguments.of(
            "api/v1", "io.k8s.api.core.v1.PodStatus", "conditions", "merge", "type", "type"),
        Arguments.of(
            "api/v1", "io.k8s.api.core.v1.NodeStatus", "conditions", "merge", "type", "type"),
        Arguments.of(
            "apis/apps/v1",
            "io.k8s.api.apps.v1.DeploymentSpec",
            "strategy",
            "retainKeys",
            null,
            null),
        Arguments.of(
            "apis/apps/v1",
            "io.k8s.api.apps.v1.DeploymentStatus",
            "conditions",
            "merge",
            "type",
            "type"),
        Arguments.of(
            "apis/apps/v1", "io.k8s.api.core.v1.PodSpec", "containers", "merge", "name", "name"),
        Arguments.of(
            "apis/apps/v1",
            "io.k8s.api.core.v1.Container",
            "ports",
            "merge",
            "containerPort",
            "containerPort,protocol"),
        Arguments.of(
            "apis/apps/v1",
            SchemaNames.META + "ObjectMeta",
            "ownerReferences",
            "merge",
            "uid",
            "uid"));
  }

  @ParameterizedTest
  @MethodSource("patchRules")
  void listPropertiesCarryTheirStrategicMergeRules(
      String path,
      String schema,
      String property,
      String strategy,
      String mergeKey,
      String mapKeys) {
    JsonNode prop = schema(doc(path), schema).path("properties").path(property);

    assertThat(prop.path("x-kubernetes-patch-strategy").asString("")).isEqualTo(strategy);
    assertThat(prop.path("x-kubernetes-patch-merge-key").asString(null)).isEqualTo(mergeKey);
    List<String> keys = new ArrayList<>();
    prop.path("x-kubernetes-list-map-keys").forEach(k -> keys.add(k.asString()));
    assertThat(keys.isEmpty() ? null : String.join(",", keys)).isEqualTo(mapKeys);
  }

  @Test
  void atomicListsCarryNoMergeRules() {
    ObjectNode core = doc("api/v1");
    for (String[] p :
        new String[][] {
          {"io.k8s.api.core.v1.PodSpec", "tolerations"},
          {"io.k8s.api.core.v1.Container", "envFrom"},
          {"io.k8s.api.core.v1.Container", "args"},
          {"io.k8s.api.core.v1.NodeSpec", "taints"},
          {"io.k8s.api.core.v1.PodStatus", "containerStatuses"}
        }) {
      JsonNode prop = schema(core, p[0]).path("properties").path(p[1]);
      assertThat(prop.path("type").asString()).as("%s.%s", p[0], p[1]).isEqualTo("array");
      assertThat(prop.has("x-kubernetes-patch-strategy")).as("%s.%s", p[0], p[1]).isFalse();
      assertThat(prop.has("x-kubernetes-patch-merge-key")).as("%s.%s", p[0], p[1]).isFalse();
    }
  }

  /**
   * kubectl apply's lookup: the schema whose group-version-kind names the kind, then property by
   * property, taking {@code allOf[0]}, {@code items} and {@code $ref} as PatchMetaFromOpenAPIV3
   * does, reading the extensions on the property itself.
   */
  @Test
  void kubectlApplyFindsTheMergeKeyOfADeploymentsContainerPorts() {
    ObjectNode apps = doc("apis/apps/v1");
    JsonNode schemas = apps.path("components").path("schemas");
    JsonNode deployment = null;
    for (String name : schemas.propertyNames()) {
      for (JsonNode gvk : schemas.path(name).path("x-kubernetes-group-version-kind")) {
        if (gvkIs(gvk, "apps", "Deployment") && gvk.path("version").asString().equals("v1")) {
          deployment = schemas.path(name);
        }
      }
    }
    assertThat(deployment).isNotNull();

    JsonNode s = deployment;
    JsonNode prop = null;
    for (String step : List.of("spec", "template", "spec", "containers", "ports")) {
      prop = s.path("properties").get(step);
      assertThat(prop).as("property %s", step).isNotNull();
      s = resolve(schemas, prop.has("items") ? prop.get("items") : prop);
    }
    assertThat(prop.path("x-kubernetes-patch-merge-key").asString()).isEqualTo("containerPort");
    assertThat(prop.path("x-kubernetes-patch-strategy").asString()).isEqualTo("merge");
    assertThat(s.path("properties").has("containerPort")).isTrue();
  }

  @Test
  void everyRefInEveryDocumentResolvesWithinIt() {
    for (String path : OPENAPI.paths()) {
      ObjectNode d = doc(path);
      List<String> refs = new ArrayList<>();
      collectRefs(d, refs);
      assertThat(refs).as("refs in %s", path).isNotEmpty();
      for (String ref : refs) {
        assertThat(ref).startsWith("#/components/schemas/");
        String name = ref.substring("#/components/schemas/".length());
        assertThat(d.path("components").path("schemas").has(name))
            .as("%s in %s", ref, path)
            .isTrue();
      }
    }
  }

  @Test
  void everySchemaInADocumentIsReachable() {
    ObjectNode core = doc("api/v1");
    List<String> refs = new ArrayList<>();
    collectRefs(core, refs);
    Set<String> referenced = new HashSet<>();
    refs.forEach(r -> referenced.add(r.substring(r.lastIndexOf('/') + 1)));

    assertThat(referenced).containsAll(core.path("components").path("schemas").propertyNames());
  }

  private static void collectRefs(JsonNode node, List<String> out) {
    if (node.isObject()) {
      for (String key : node.propertyNames()) {
        JsonNode v = node.get(key);
        // JSONSchemaProps (a CustomResourceDefinition's schema) has a property named "$ref":
        // there the key names a property whose schema is an object, not a reference.
        if (key.equals("$ref") && v.isString()) {
          out.add(v.asString());
        } else {
          collectRefs(v, out);
        }
      }
    } else if (node.isArray()) {
      node.forEach(n -> collectRefs(n, out));
    }
  }

  private static JsonNode resolve(JsonNode schemas, JsonNode schema) {
    JsonNode s = schema.has("allOf") ? schema.path("allOf").get(0) : schema;
    if (s.has("$ref")) {
      String ref = s.path("$ref").asString();
      return schemas.path(ref.substring(ref.lastIndexOf('/') + 1));
    }
    return s;
  }

  private static String refOf(JsonNode property) {
    JsonNode s = property.has("allOf") ? property.path("allOf").get(0) : property;
    return s.path("$ref").asString("");
  }

  private static boolean gvkIs(JsonNode gvk, String group, String kind) {
    return gvk != null
        && gvk.path("group").isString()
        && gvk.path("group").asString().equals(group)
        && gvk.path("kind").asString("").equals(kind);
  }

  private static List<String> queryParams(JsonNode op) {
    List<String> names = new ArrayList<>();
    for (JsonNode p : op.path("parameters")) {
      if (p.path("in").asString("").equals("query")) {
        names.add(p.path("name").asString());
      }
    }
    return names;
  }
}
