package io.nauta.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.nauta.core.errors.FieldError;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ingress and IngressClass validation, with the messages of upstream's {@code ValidateIngress*} and
 * {@code ValidateIngressClass*}.
 */
class IngressValidationTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String DNS1123_SUBDOMAIN =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or"
          + " '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex"
          + " used for validation is"
          + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  private static final String WEB =
      "{\"service\": {\"name\": \"web\", \"port\": {\"number\": 80}}}";

  private static Ingress ingress(String spec) {
    return JSON.readValue(
        """
        {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
         "metadata": {"name": "shop", "namespace": "a"}, "spec": %s}
        """
            .formatted(spec),
        Ingress.class);
  }

  private static List<String> messages(List<FieldError> errors) {
    return errors.stream().map(FieldError::message).toList();
  }

  private static String rule(String host, String path, String pathType, String backend) {
    return """
        {"rules": [{%s"http": {"paths": [{%s%s"backend": %s}]}}]}
        """
        .formatted(
            host == null ? "" : "\"host\": \"" + host + "\", ",
            path == null ? "" : "\"path\": \"" + path + "\", ",
            pathType == null ? "" : "\"pathType\": \"" + pathType + "\", ",
            backend);
  }

  private static Arguments valid(String spec) {
    return Arguments.of(spec, List.of());
  }

  private static Arguments invalid(String spec, String... messages) {
    return Arguments.of(spec, List.of(messages));
  }

  static Stream<Arguments> ingresses() {
    String paths = "spec.rules[0].http.paths[0]";
    return Stream.of(
        valid(rule("shop.example", "/", "Prefix", WEB)),
        valid(rule("*.shop.example", "/api", "Exact", WEB)),
        valid(rule(null, null, "ImplementationSpecific", WEB)),
        valid(
            rule(
                "shop.example",
                "/",
                "Prefix",
                "{\"service\": {\"name\": \"web\", \"port\": {\"name\": \"http\"}}}")),
        valid(
            """
            {"defaultBackend": {"resource": {"apiGroup": "k8s.example.com", "kind": "StorageBucket",
             "name": "static-assets"}}, "ingressClassName": "nauta",
             "tls": [{"hosts": ["shop.example", "*.shop.example"], "secretName": "shop-tls"}]}
            """),
        invalid(
            "{}",
            "spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or"
                + " `rules` must be specified"),
        invalid(
            rule("shop.example", "/", null, WEB),
            paths + ".pathType: Required value: pathType must be specified"),
        invalid(
            rule("shop.example", "/", "Regex", WEB),
            paths
                + ".pathType: Unsupported value: \"Regex\": supported values: \"Exact\","
                + " \"ImplementationSpecific\", \"Prefix\""),
        invalid(
            rule("shop.example", "api", "Prefix", WEB),
            paths + ".path: Invalid value: \"api\": must be an absolute path"),
        invalid(
            rule("shop.example", "", "Exact", WEB),
            paths + ".path: Invalid value: \"\": must be an absolute path"),
        invalid(
            rule("shop.example", "api", "ImplementationSpecific", WEB),
            paths + ".path: Invalid value: \"api\": must be an absolute path"),
        invalid(
            rule("shop.example", "/a//b/..", "Prefix", WEB),
            paths + ".path: Invalid value: \"/a//b/..\": must not contain '//'",
            paths + ".path: Invalid value: \"/a//b/..\": cannot end with '/..'"),
        invalid(
            rule("shop.example", "/a%2Fb", "Exact", WEB),
            paths + ".path: Invalid value: \"/a%2Fb\": must not contain '%2F'"),
        invalid(
            rule("10.0.0.1", "/", "Prefix", WEB),
            "spec.rules[0].host: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP"
                + " address"),
        invalid(
            rule("*.*.shop.example", "/", "Prefix", WEB),
            "spec.rules[0].host: Invalid value: \"*.*.shop.example\": a wildcard DNS-1123"
                + " subdomain must start with '*.', followed by a valid DNS subdomain, which must"
                + " consist of lower case alphanumeric characters, '-' or '.' and end with an"
                + " alphanumeric character (e.g. '*.example.com', regex used for validation is"
                + " '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"),
        invalid(
            rule("Shop.example", "/", "Prefix", WEB),
            "spec.rules[0].host: Invalid value: \"Shop.example\": " + DNS1123_SUBDOMAIN),
        invalid(
            "{\"rules\": [{\"host\": \"shop.example\", \"http\": {\"paths\": []}}]}",
            "spec.rules[0].http.paths: Required value"),
        invalid(
            rule("shop.example", "/", "Prefix", "{}"),
            paths + ".backend: Invalid value: \"\": resource or service backend is required"),
        invalid(
            rule(
                "shop.example",
                "/",
                "Prefix",
                "{\"service\": {\"name\": \"web\", \"port\": {\"number\": 80}}, \"resource\":"
                    + " {\"kind\": \"Bucket\", \"name\": \"b\"}}"),
            paths + ".backend: Invalid value: \"\": cannot set both resource and service backends"),
        invalid(
            rule(
                "shop.example",
                "/",
                "Prefix",
                "{\"service\": {\"name\": \"9web\", \"port\": {\"number\": 80, \"name\": \"http\"}}}"),
            paths
                + ".backend.service.name: Invalid value: \"9web\": a DNS-1035 label must consist of"
                + " lower case alphanumeric characters or '-', start with an alphabetic character,"
                + " and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex"
                + " used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
            paths + ".backend: Invalid value: \"\": cannot set both port name & port number"),
        invalid(
            rule("shop.example", "/", "Prefix", "{\"service\": {\"name\": \"web\", \"port\": {}}}"),
            paths + ".backend: Required value: port name or number is required"),
        invalid(
            rule(
                "shop.example",
                "/",
                "Prefix",
                "{\"service\": {\"name\": \"\", \"port\": {\"number\": 70000}}}"),
            paths + ".backend.service.name: Required value",
            paths
                + ".backend.service.port.number: Invalid value: 70000: must be between 1 and 65535,"
                + " inclusive"),
        invalid(
            "{\"defaultBackend\": {\"resource\": {\"apiGroup\": \"Bad_Group\", \"name\": \"a/b\"}}}",
            "spec.defaultBackend.resource.apiGroup: Invalid value: \"Bad_Group\": "
                + DNS1123_SUBDOMAIN,
            "spec.defaultBackend.resource.kind: Required value: kind is required",
            "spec.defaultBackend.resource.name: Invalid value: \"a/b\": may not contain '/'"),
        invalid(
            "{\"defaultBackend\": "
                + WEB
                + ", \"tls\": [{\"hosts\": [\"*\"], \"secretName\": \"Bad_Secret\"}],"
                + " \"ingressClassName\": \"Nauta\"}",
            "spec.tls[0].hosts[0]: Invalid value: \"*\": a wildcard DNS-1123 subdomain must start"
                + " with '*.', followed by a valid DNS subdomain, which must consist of lower case"
                + " alphanumeric characters, '-' or '.' and end with an alphanumeric character"
                + " (e.g. '*.example.com', regex used for validation is"
                + " '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            "spec.tls[0].secretName: Invalid value: \"Bad_Secret\": " + DNS1123_SUBDOMAIN,
            "spec.ingressClassName: Invalid value: \"Nauta\": " + DNS1123_SUBDOMAIN));
  }

  @ParameterizedTest
  @MethodSource("ingresses")
  void validatesIngressesAsUpstream(String spec, List<String> expected) {
    assertThat(messages(Validators.forKind("Ingress").validate(ingress(spec))))
        .containsExactlyElementsOf(expected);
  }

  @Test
  void refusesTheClassAnnotationBesideTheClassFieldOnCreateOnly() {
    Ingress ing = ingress("{\"defaultBackend\": " + WEB + ", \"ingressClassName\": \"nauta\"}");
    ing.getMetadata().setAnnotations(java.util.Map.of("kubernetes.io/ingress.class", "nginx"));
    assertThat(messages(new IngressValidation().validate(ing)))
        .containsExactly(
            "annotations.kubernetes.io/ingress.class: Invalid value: \"nginx\": can not be set"
                + " when the class field is also set");
    ing.getMetadata().setResourceVersion("1");
    assertThat(new IngressValidation().validateUpdate(ing, ing)).isEmpty();
  }

  @Test
  void anUpdateToleratesTheInvalidSecretNameItAlreadyHad() {
    Ingress old =
        ingress("{\"defaultBackend\": " + WEB + ", \"tls\": [{\"secretName\": \"Old_Name\"}]}");
    old.getMetadata().setResourceVersion("1");
    assertThat(new IngressValidation().validateUpdate(old, old)).isEmpty();
    Ingress fresh = ingress("{\"defaultBackend\": " + WEB + "}");
    fresh.getMetadata().setResourceVersion("1");
    Ingress bad =
        ingress("{\"defaultBackend\": " + WEB + ", \"tls\": [{\"secretName\": \"New_Name\"}]}");
    bad.getMetadata().setResourceVersion("1");
    assertThat(messages(new IngressValidation().validateUpdate(bad, fresh)))
        .containsExactly(
            "spec.tls[0].secretName: Invalid value: \"New_Name\": " + DNS1123_SUBDOMAIN);
  }

  @Test
  void validatesTheLoadBalancerStatus() {
    Ingress ing = ingress("{\"defaultBackend\": " + WEB + "}");
    Ingress withStatus =
        JSON.readValue(
            """
            {"metadata": {"name": "shop", "namespace": "a", "resourceVersion": "1"},
             "spec": {"defaultBackend": %s},
             "status": {"loadBalancer": {"ingress": [{"ip": "10.0.0.300"}, {"hostname": "10.0.0.3"},
                                                     {"ip": "10.0.0.3", "hostname": "lb.example"}]}}}
            """
                .formatted(WEB),
            Ingress.class);
    ing.getMetadata().setResourceVersion("1");
    assertThat(messages(new IngressValidation().validateUpdate(withStatus, ing)))
        .containsExactly(
            "status.loadBalancer.ingress[0].ip: Invalid value: \"10.0.0.300\": must be a valid IP"
                + " address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            "status.loadBalancer.ingress[1].hostname: Invalid value: \"10.0.0.3\": must be a DNS"
                + " name, not an IP address");
  }

  private static IngressClass ingressClass(String spec) {
    return JSON.readValue(
        """
        {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
         "metadata": {"name": "nauta", "resourceVersion": "1"}, "spec": %s}
        """
            .formatted(spec),
        IngressClass.class);
  }

  static Stream<Arguments> ingressClasses() {
    return Stream.of(
        valid("{\"controller\": \"nauta.io/ingress-controller\"}"),
        valid(
            """
            {"controller": "example.com/lb", "parameters": {"apiGroup": "k8s.example.com",
             "kind": "IngressParameters", "name": "p", "scope": "Namespace", "namespace": "infra"}}
            """),
        invalid("{}", "spec.controller: Required value"),
        invalid(
            "{\"controller\": \"nauta\"}",
            "spec.controller: Invalid value: \"nauta\": must be a domain-prefixed path (such as"
                + " \"acme.io/foo\")"),
        invalid(
            "{\"controller\": \"Nauta.io/a b\"}",
            "spec.controller: Invalid value: \"Nauta.io\": " + DNS1123_SUBDOMAIN,
            "spec.controller: Invalid value: \"a b\": Invalid path (regex used for validation is"
                + " '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')"),
        invalid(
            "{\"controller\": \"a.io/" + "x".repeat(250) + "\"}",
            "spec.controller: Too long: may not be more than 250 bytes"),
        invalid(
            "{\"controller\": \"a.io/b\", \"parameters\": {\"kind\": \"P\", \"name\": \"p\"}}",
            "spec.parameters.scope: Required value"),
        invalid(
            "{\"controller\": \"a.io/b\", \"parameters\": {\"kind\": \"P\", \"name\": \"p\","
                + " \"scope\": \"Global\"}}",
            "spec.parameters.scope: Unsupported value: \"Global\": supported values: \"Cluster\","
                + " \"Namespace\""),
        invalid(
            "{\"controller\": \"a.io/b\", \"parameters\": {\"kind\": \"P\", \"name\": \"p\","
                + " \"scope\": \"Namespace\"}}",
            "spec.parameters.namespace: Required value: `parameters.scope` is set to"
                + " 'Namespace'"),
        invalid(
            "{\"controller\": \"a.io/b\", \"parameters\": {\"kind\": \"P\", \"name\": \"p\","
                + " \"scope\": \"Cluster\", \"namespace\": \"infra\"}}",
            "spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'"));
  }

  @ParameterizedTest
  @MethodSource("ingressClasses")
  void validatesIngressClassesAsUpstream(String spec, List<String> expected) {
    assertThat(messages(Validators.forKind("IngressClass").validate(ingressClass(spec))))
        .containsExactlyElementsOf(expected);
  }

  @Test
  void anIngressClassesControllerNeverChanges() {
    assertThat(
            messages(
                new IngressClassValidation()
                    .validateUpdate(
                        ingressClass("{\"controller\": \"example.com/other\"}"),
                        ingressClass("{\"controller\": \"nauta.io/ingress-controller\"}"))))
        .containsExactly(
            "spec.controller: Invalid value: \"example.com/other\": field is immutable");
  }
}
