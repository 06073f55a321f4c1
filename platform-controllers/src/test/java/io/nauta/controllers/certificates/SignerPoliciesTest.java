package io.nauta.controllers.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.TestCsrs;
import io.nauta.core.certificates.SigningRequests;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the kubelet client, kubelet serving and API-server-client signers accept, with Kubernetes'
 * words for refusals.
 */
class SignerPoliciesTest {

  private static final List<String> NODE_USAGES = List.of("digital signature", "client auth");

  private static Optional<String> kubelet(TestCsrs csr, List<String> usages) {
    return SignerPolicies.kubeletClientProblem(SigningRequests.parse(csr.request()), usages);
  }

  @Test
  void aNodeIdentityIsAccepted() {
    TestCsrs node = TestCsrs.of("system:node:n1", "system:nodes");
    assertThat(kubelet(node, NODE_USAGES)).isEmpty();
    assertThat(kubelet(node, List.of("key encipherment", "digital signature", "client auth")))
        .isEmpty();
  }

  @Test
  void anythingButANodeIdentityIsRefused() {
    record Case(TestCsrs csr, List<String> usages, String problem) {}
    List<Case> cases =
        List.of(
            new Case(
                TestCsrs.of("system:node:n1"),
                NODE_USAGES,
                "subject organization is not system:nodes"),
            new Case(
                TestCsrs.of("system:node:n1", "system:nodes", "system:masters"),
                NODE_USAGES,
                "subject organization is not system:nodes"),
            new Case(
                TestCsrs.of("alice", "system:nodes"),
                NODE_USAGES,
                "subject common name does not begin with system:node:"),
            new Case(
                TestCsrs.of("system:node:n1", "system:nodes"),
                List.of("client auth"),
                "usages did not match [client auth digital signature key encipherment]"),
            new Case(
                TestCsrs.of("system:node:n1", "system:nodes"),
                List.of("digital signature", "client auth", "server auth"),
                "usages did not match [client auth digital signature key encipherment]"),
            new Case(
                TestCsrs.withSans("system:node:n1", "system:nodes", List.of("n1"), List.of()),
                NODE_USAGES,
                "DNS subjectAltNames are not allowed"),
            new Case(
                TestCsrs.withSans("system:node:n1", "system:nodes", List.of(), List.of("10.0.0.1")),
                NODE_USAGES,
                "IP subjectAltNames are not allowed"));
    for (Case c : cases) {
      assertThat(kubelet(c.csr(), c.usages())).as(c.problem()).contains(c.problem());
    }
  }

  private static Optional<String> serving(TestCsrs csr, List<String> usages) {
    return SignerPolicies.kubeletServingProblem(SigningRequests.parse(csr.request()), usages);
  }

  @Test
  void aNodeServingRequestIsAcceptedWithADnsNameOrAnAddress() {
    List<String> usages = List.of("digital signature", "server auth");
    assertThat(
            serving(
                TestCsrs.withSans("system:node:n1", "system:nodes", List.of("n1"), List.of()),
                usages))
        .isEmpty();
    assertThat(
            serving(
                TestCsrs.withSans(
                    "system:node:n1", "system:nodes", List.of(), List.of("10.0.0.1", "::1")),
                List.of("key encipherment", "digital signature", "server auth")))
        .isEmpty();
  }

  @Test
  void aServingRequestIsCheckedInUpstreamsOrder() {
    record Case(TestCsrs csr, List<String> usages, String problem) {}
    List<String> ok = List.of("digital signature", "server auth");
    List<Case> cases =
        List.of(
            // organization first, even when nothing else fits either
            new Case(
                TestCsrs.of("alice", "system:masters"),
                List.of("client auth"),
                "subject organization is not system:nodes"),
            new Case(
                TestCsrs.of("system:node:n1", "system:nodes"),
                ok,
                "DNS or IP subjectAltName is required"),
            // usages before the common name
            new Case(
                TestCsrs.withSans("alice", "system:nodes", List.of("n1"), List.of()),
                List.of("digital signature", "client auth"),
                "usages did not match [digital signature key encipherment server auth]"),
            new Case(
                TestCsrs.withSans("system:node:n1", "system:nodes", List.of("n1"), List.of()),
                List.of("digital signature", "server auth", "client auth"),
                "usages did not match [digital signature key encipherment server auth]"),
            new Case(
                TestCsrs.withSans("alice", "system:nodes", List.of("n1"), List.of()),
                ok,
                "subject common name does not begin with system:node:"));
    for (Case c : cases) {
      assertThat(serving(c.csr(), c.usages())).as(c.problem()).contains(c.problem());
    }
  }

  @Test
  void aUserCertificateMayAskForClientAuthOnly() {
    assertThat(SignerPolicies.apiServerClientUsageProblem(List.of("client auth"))).isEmpty();
    assertThat(
            SignerPolicies.apiServerClientUsageProblem(
                List.of("digital signature", "key encipherment", "client auth")))
        .isEmpty();
    assertThat(SignerPolicies.apiServerClientUsageProblem(List.of("client auth", "server auth")))
        .contains("invalid usage for client certificate: server auth");
    assertThat(SignerPolicies.apiServerClientUsageProblem(List.of("digital signature")))
        .contains("missing required usage for client certificate: client auth");
  }
}
