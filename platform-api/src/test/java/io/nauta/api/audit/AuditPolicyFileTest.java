package io.nauta.api.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nauta.api.audit.AuditPolicyFile.InvalidAuditPolicyException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A policy file the server cannot use is refused with every reason, as Kubernetes validates. */
class AuditPolicyFileTest {

  private static final String HEAD = "apiVersion: audit.k8s.io/v1\nkind: Policy\n";

  @Test
  void readsYamlAndJsonAlike() {
    AuditPolicy yaml =
        AuditPolicyFile.parse(
            HEAD
                + "rules:\n- level: Request\n  resources:\n  - group: \"\"\n"
                + "    resources: [pods]\n",
            "y");
    AuditPolicy json =
        AuditPolicyFile.parse(
            "{\"apiVersion\":\"audit.k8s.io/v1\",\"kind\":\"Policy\",\"rules\":[{\"level\":"
                + "\"Request\",\"resources\":[{\"group\":\"\",\"resources\":[\"pods\"]}]}]}",
            "j");
    assertThat(json).isEqualTo(yaml);
    assertThat(yaml.rules().get(0).level()).isEqualTo(AuditLevel.Request);
  }

  private record Bad(String yaml, String message) {}

  @Test
  void refusesWhatKubernetesRefuses() {
    List<Bad> cases =
        List.of(
            new Bad(
                "apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules: [{level: None}]\n",
                "apiVersion and kind must be audit.k8s.io/v1 Policy"),
            new Bad(HEAD + "rules: []\n", "the policy has no rules"),
            new Bad(HEAD + "rules: [{verbs: [get]}]\n", "rules[0].level: required"),
            new Bad(HEAD + "rules: [{level: All}]\n", "\"All\" is not one of None"),
            new Bad(
                HEAD + "rules: [{level: None, omitStages: [Done]}]\n",
                "rules[0].omitStages: \"Done\" is not one of RequestReceived"),
            new Bad(
                HEAD + "omitStages: [Later]\nrules: [{level: None}]\n", "omitStages: \"Later\""),
            new Bad(
                HEAD
                    + "rules: [{level: None, nonResourceURLs: [/x], resources: [{group: \"\"}]}]\n",
                "cannot apply to both regular resources and non-resource URLs"),
            new Bad(
                HEAD + "rules: [{level: None, nonResourceURLs: [healthz]}]\n",
                "\"healthz\" must start with /"),
            new Bad(
                HEAD + "rules: [{level: None, nonResourceURLs: [\"/a*/b\"]}]\n",
                "may end, only end, in *"),
            new Bad(
                HEAD + "rules: [{level: None, resources: [{group: apps/v1}]}]\n",
                "\"apps/v1\" is a group"),
            new Bad(
                HEAD + "rules: [{level: None, resources: [{group: \"\", resourceNames: [a]}]}]\n",
                "requires at least one resource"),
            new Bad(
                HEAD
                    + "rules: [{level: None, resources: [{group: \"\", resources: [\"*\"],"
                    + " resourceNames: [a]}]}]\n",
                "with a wildcard resource"),
            new Bad(HEAD + "rules: [{level: None\n", "is not YAML or JSON"));
    for (Bad b : cases) {
      assertThatThrownBy(() -> AuditPolicyFile.parse(b.yaml(), "policy.yaml"))
          .as(b.yaml())
          .isInstanceOf(InvalidAuditPolicyException.class)
          .hasMessageContaining("policy.yaml")
          .hasMessageContaining(b.message());
    }
  }
}
