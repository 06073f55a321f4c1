package io.nauta.api.security.rbac;

import static io.nauta.api.security.rbac.PolicyRuleTest.rule;
import static io.nauta.api.security.rbac.PolicyRuleTest.urls;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Escalation coverage, after Kubernetes' {@code pkg/registry/rbac/validation/policy_compact}. */
class RuleCoverageTest {

  @Test
  void starCoversEverything() {
    assertThat(
            RuleCoverage.missing(
                List.of(rule(List.of("*"), List.of("*"), List.of("*"), List.of())),
                List.of(
                    rule(
                        List.of("get", "create"),
                        List.of("", "apps"),
                        List.of("pods", "deployments/scale"),
                        List.of("x")))))
        .isEmpty();
  }

  @Test
  void exactVerbsAndResourcesCover() {
    assertThat(
            RuleCoverage.missing(
                List.of(rule(List.of("get", "list"), List.of(""), List.of("pods"), List.of())),
                List.of(rule(List.of("get"), List.of(""), List.of("pods"), List.of()))))
        .isEmpty();
  }

  @Test
  void missingVerbsAreListedCompactly() {
    List<PolicyRule> missing =
        RuleCoverage.missing(
            List.of(rule(List.of("get"), List.of(""), List.of("pods"), List.of())),
            List.of(
                rule(List.of("get", "create", "delete"), List.of(""), List.of("pods"), List.of())));
    assertThat(RuleCoverage.describe(missing))
        .isEqualTo("{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"create\" \"delete\"]}");
  }

  @Test
  void namedRuleDoesNotCoverTheWholeResource() {
    assertThat(
            RuleCoverage.missing(
                List.of(rule(List.of("get"), List.of(""), List.of("secrets"), List.of("a"))),
                List.of(rule(List.of("get"), List.of(""), List.of("secrets"), List.of()))))
        .hasSize(1);
    assertThat(
            RuleCoverage.missing(
                List.of(rule(List.of("get"), List.of(""), List.of("secrets"), List.of())),
                List.of(rule(List.of("get"), List.of(""), List.of("secrets"), List.of("a")))))
        .isEmpty();
  }

  @Test
  void starSubresourceCoversEveryResourcesSubresource() {
    assertThat(
            RuleCoverage.missing(
                List.of(rule(List.of("update"), List.of("apps"), List.of("*/scale"), List.of())),
                List.of(
                    rule(
                        List.of("update"),
                        List.of("apps"),
                        List.of("deployments/scale"),
                        List.of()))))
        .isEmpty();
    assertThat(
            RuleCoverage.missing(
                List.of(rule(List.of("update"), List.of("apps"), List.of("*/scale"), List.of())),
                List.of(
                    rule(List.of("update"), List.of("apps"), List.of("deployments"), List.of()))))
        .hasSize(1);
  }

  @Test
  void urlPrefixCoversLongerUrls() {
    assertThat(
            RuleCoverage.missing(
                List.of(urls(List.of("get"), List.of("/apis/*"))),
                List.of(urls(List.of("get"), List.of("/apis/apps/v1")))))
        .isEmpty();
    assertThat(
            RuleCoverage.missing(
                List.of(urls(List.of("get"), List.of("/apis/*"))),
                List.of(urls(List.of("get"), List.of("/api")))))
        .hasSize(1);
  }
}
