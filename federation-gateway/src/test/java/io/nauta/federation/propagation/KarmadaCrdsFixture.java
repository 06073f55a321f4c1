package io.nauta.federation.propagation;

import io.nauta.federation.api.Karmada;
import io.nauta.federation.support.TestGateway;

/**
 * The Karmada kinds propagation needs, as schema-less CRDs, for as long as the gateway does not
 * install its own (fedcore's): a CRD the gateway already serves is left as it is (409).
 */
final class KarmadaCrdsFixture {

  private KarmadaCrdsFixture() {}

  static void install(TestGateway gateway) {
    crd(
        gateway,
        Karmada.CLUSTER_GROUP,
        Karmada.CLUSTER_VERSION,
        Karmada.KIND_CLUSTER,
        "clusters",
        false);
    crd(
        gateway,
        Karmada.WORK_GROUP,
        Karmada.WORK_VERSION,
        Karmada.KIND_RESOURCE_BINDING,
        "resourcebindings",
        true);
    crd(
        gateway,
        Karmada.POLICY_GROUP,
        Karmada.POLICY_VERSION,
        Karmada.KIND_OVERRIDE_POLICY,
        "overridepolicies",
        true);
    crd(
        gateway,
        Karmada.POLICY_GROUP,
        Karmada.POLICY_VERSION,
        Karmada.KIND_CLUSTER_OVERRIDE_POLICY,
        "clusteroverridepolicies",
        false);
  }

  private static void crd(
      TestGateway gateway,
      String group,
      String version,
      String kind,
      String plural,
      boolean namespaced) {
    String body =
        """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
         "metadata":{"name":"%s.%s"},
         "spec":{"group":"%s","scope":"%s",
           "names":{"kind":"%s","plural":"%s","singular":"%s","listKind":"%sList"},
           "versions":[{"name":"%s","served":true,"storage":true,
             "subresources":{"status":{}},
             "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
        """
            .formatted(
                plural,
                group,
                group,
                namespaced ? "Namespaced" : "Cluster",
                kind,
                plural,
                kind.toLowerCase(java.util.Locale.ROOT),
                kind,
                version);
    int code =
        gateway
            .client()
            .post()
            .uri("/apis/apiextensions.k8s.io/v1/customresourcedefinitions")
            .header("Content-Type", "application/json")
            .bodyValue(body)
            .exchange()
            .returnResult(String.class)
            .getStatus()
            .value();
    if (code != 201 && code != 409) {
      throw new IllegalStateException("CRD " + plural + "." + group + ": HTTP " + code);
    }
  }

  /**
   * The dependencies distributor creates bindings, which the controller manager's bootstrap role
   * does not allow (it may update and delete any resource, not create it): the rule fedcore's
   * Karmada RBAC is to carry.
   */
  static void allowControllersToCreateBindings(io.nauta.core.client.KubeClient gw) {
    for (String body :
        new String[] {
          """
          {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole",
           "metadata":{"name":"test:federation-bindings"},
           "rules":[{"apiGroups":["work.karmada.io"],"resources":["resourcebindings"],"verbs":["create"]}]}
          """,
          """
          {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding",
           "metadata":{"name":"test:federation-bindings"},
           "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"test:federation-bindings"},
           "subjects":[{"kind":"User","name":"system:kube-controller-manager"}]}
          """
        }) {
      boolean role = !body.contains("\"kind\":\"ClusterRoleBinding\"");
      var type =
          role
              ? io.nauta.core.registry.BuiltInResources.CLUSTER_ROLES
              : io.nauta.core.registry.BuiltInResources.CLUSTER_ROLE_BINDINGS;
      gw.resource(type, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class)
          .create(
              gw.mapper()
                  .readValue(body, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class))
          .onErrorResume(
              io.nauta.core.errors.AlreadyExistsException.class,
              e -> reactor.core.publisher.Mono.empty())
          .block();
    }
  }
}
