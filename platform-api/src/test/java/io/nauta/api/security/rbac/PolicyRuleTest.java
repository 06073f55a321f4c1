package io.nauta.api.security.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.security.AuthorizationAttributes;
import io.nauta.api.security.UserInfo;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rule matching, table-driven after Kubernetes' {@code rbac_test.go} and {@code helpers_test}. */
class PolicyRuleTest {

  private static final UserInfo USER = new UserInfo("bob", List.of());

  static PolicyRule rule(
      List<String> verbs, List<String> groups, List<String> resources, List<String> names) {
    return new PolicyRule(verbs, groups, resources, names, List.of());
  }

  static PolicyRule urls(List<String> verbs, List<String> urls) {
    return new PolicyRule(verbs, List.of(), List.of(), List.of(), urls);
  }

  static AuthorizationAttributes res(
      String verb, String group, String resource, String sub, String name) {
    return AuthorizationAttributes.resource(USER, verb, group, "v1", resource, sub, "ns", name);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // verbs
        Arguments.of(
            rule(List.of("get"), List.of(""), List.of("pods"), List.of()),
            res("get", "", "pods", "", ""),
            true),
        Arguments.of(
            rule(List.of("get"), List.of(""), List.of("pods"), List.of()),
            res("list", "", "pods", "", ""),
            false),
        Arguments.of(
            rule(List.of("*"), List.of(""), List.of("pods"), List.of()),
            res("deletecollection", "", "pods", "", ""),
            true),
        // groups
        Arguments.of(
            rule(List.of("get"), List.of("apps"), List.of("deployments"), List.of()),
            res("get", "", "deployments", "", ""),
            false),
        Arguments.of(
            rule(List.of("get"), List.of("*"), List.of("deployments"), List.of()),
            res("get", "apps", "deployments", "", ""),
            true),
        // subresources are their own resource
        Arguments.of(
            rule(List.of("get"), List.of(""), List.of("pods"), List.of()),
            res("get", "", "pods", "log", "web"),
            false),
        Arguments.of(
            rule(List.of("get"), List.of(""), List.of("pods/log"), List.of()),
            res("get", "", "pods", "log", "web"),
            true),
        Arguments.of(
            rule(List.of("get"), List.of(""), List.of("pods/log"), List.of()),
            res("get", "", "pods", "", "web"),
            false),
        Arguments.of(
            rule(List.of("update"), List.of("apps"), List.of("*/scale"), List.of()),
            res("update", "apps", "deployments", "scale", "web"),
            true),
        Arguments.of(
            rule(List.of("update"), List.of("apps"), List.of("*/scale"), List.of()),
            res("update", "apps", "deployments", "status", "web"),
            false),
        Arguments.of(
            rule(List.of("update"), List.of("apps"), List.of("*/scale"), List.of()),
            res("update", "apps", "deployments", "", "web"),
            false),
        Arguments.of(
            rule(List.of("get"), List.of(""), List.of("*"), List.of()),
            res("get", "", "pods", "status", "web"),
            true),
        // resource names
        Arguments.of(
            rule(List.of("get"), List.of(""), List.of("secrets"), List.of("a")),
            res("get", "", "secrets", "", "a"),
            true),
        Arguments.of(
            rule(List.of("get"), List.of(""), List.of("secrets"), List.of("a")),
            res("get", "", "secrets", "", "b"),
            false),
        Arguments.of(
            rule(List.of("list"), List.of(""), List.of("secrets"), List.of("a")),
            res("list", "", "secrets", "", ""),
            false),
        // non-resource URLs
        Arguments.of(
            urls(List.of("get"), List.of("/healthz")),
            AuthorizationAttributes.nonResource(USER, "get", "/healthz"),
            true),
        Arguments.of(
            urls(List.of("get"), List.of("/healthz")),
            AuthorizationAttributes.nonResource(USER, "post", "/healthz"),
            false),
        Arguments.of(
            urls(List.of("get"), List.of("/healthz")),
            AuthorizationAttributes.nonResource(USER, "get", "/healthz/etcd"),
            false),
        Arguments.of(
            urls(List.of("get"), List.of("/apis/*")),
            AuthorizationAttributes.nonResource(USER, "get", "/apis/apps/v1"),
            true),
        Arguments.of(
            urls(List.of("get"), List.of("/apis/*")),
            AuthorizationAttributes.nonResource(USER, "get", "/apis"),
            false),
        Arguments.of(
            urls(List.of("*"), List.of("*")),
            AuthorizationAttributes.nonResource(USER, "get", "/anything"),
            true),
        // a resource rule never grants a path, nor a path rule a resource
        Arguments.of(
            rule(List.of("*"), List.of("*"), List.of("*"), List.of()),
            AuthorizationAttributes.nonResource(USER, "get", "/healthz"),
            false),
        Arguments.of(urls(List.of("*"), List.of("*")), res("get", "", "pods", "", ""), false));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void allowsExactlyWhatKubernetesRulesAllow(
      PolicyRule rule, AuthorizationAttributes request, boolean allowed) {
    assertThat(rule.allows(request)).isEqualTo(allowed);
  }
}
