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
}
