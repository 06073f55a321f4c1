package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.TestApiServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * networking.k8s.io/v1 Ingresses and IngressClasses with the real kubectl: the default class {@code
 * nauta} made at start and filled into a new Ingress without a class, kubectl's own generator
 * ({@code kubectl create ingress}, sent as protobuf), upstream's columns, {@code kubectl describe},
 * the status subresource, validation messages (422, nothing stored) and the view/edit aggregation.
 */
class IngressApiIT {

  private static TestApiServer server;
  private static Kubectl kubectl;
  private static ApiCalls api;

  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
    kubectl = new Kubectl(server.kubeconfig(dir));
    api = new ApiCalls(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String ok(Kubectl.Result r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r.stdout();
  }

  private static String get(String... args) {
    return ok(kubectl.run(args));
  }

  @Test
  void ingressesAreServedAsKubernetesServesThem() {
    String classes = get("get", "ingressclass");
    assertThat(classes.lines().findFirst().orElseThrow())
        .matches("NAME +CONTROLLER +PARAMETERS +AGE");
    assertThat(classes).containsPattern("nauta +nauta\\.io/ingress-controller +<none> +\\d+s");
    assertThat(
            get(
                "get",
                "ingressclass",
                "nauta",
                "-o",
                "jsonpath={.metadata.annotations.ingressclass\\.kubernetes\\.io/is-default-class}"))
        .isEqualTo("true");

    // kubectl's generator: an Exact path and a Prefix one (the trailing *), no class given.
    ok(
        kubectl.run(
            "create",
            "ingress",
            "shop",
            "--rule=shop.example/=web:80",
            "--rule=shop.example/api*=api:8080"));
    assertThat(
            get(
                "get",
                "ing",
                "shop",
                "-o",
                "jsonpath={.spec.ingressClassName} {.spec.rules[0].http.paths[*].pathType}"
                    + " {.spec.rules[0].http.paths[*].path} {.metadata.generation}"))
        .isEqualTo("nauta Exact Prefix / /api 1");
    String ingresses = get("get", "ingress");
    assertThat(ingresses.lines().findFirst().orElseThrow())
        .matches("NAME +CLASS +HOSTS +ADDRESS +PORTS +AGE");
    assertThat(ingresses).containsPattern("shop +nauta +shop\\.example +80 +\\d+s");

    // With TLS and a class of its own (none such exists: the class is only a name).
    ok(
        kubectl.run(
            "create",
            "ingress",
            "secure",
            "--class=other",
            "--rule=*.shop.example/=web:http,tls=shop-tls"));
    assertThat(get("get", "ing", "secure"))
        .containsPattern("secure +other +\\*\\.shop\\.example +80, 443 +\\d+s");

    // The address through the status subresource, and its validation there.
    ok(patchStatus("{\"ip\":\"10.0.0.9\"}"));
    assertThat(get("get", "ing", "shop"))
        .containsPattern("shop +nauta +shop\\.example +10\\.0\\.0\\.9 +80 +\\d+s");
    assertThat(patchStatus("{\"hostname\":\"10.0.0.1\"}").stderr())
        .contains(
            "status.loadBalancer.ingress[0].hostname: Invalid value: \"10.0.0.1\": must be a DNS"
                + " name, not an IP address");

    // kubectl describe reads the Ingress, then each backend's service and its endpoints: from
    // Endpoints up to kubectl 1.31, from the service's EndpointSlices since (here written by hand:
    // no controller runs beside this API server).
    ok(
        kubectl.runWithInput(
            """
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              ports:
              - port: 80
                targetPort: 8080
            ---
            apiVersion: v1
            kind: Endpoints
            metadata:
              name: web
            subsets:
            - addresses:
              - ip: 10.1.2.3
              ports:
              - port: 8080
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: web-abc
              labels:
                kubernetes.io/service-name: web
            addressType: IPv4
            endpoints:
            - addresses: [10.1.2.3]
              conditions: {ready: true}
            ports:
            - port: 8080
            """,
            "create",
            "-f",
            "-"));
    Kubectl old = new Kubectl(server.kubeconfig(dir), Kubectl.versioned("1.27").toString());
    assertThat(ok(old.run("describe", "ing", "shop")))
        .containsPattern("Address: +10\\.0\\.0\\.9")
        .containsPattern("Ingress Class: +nauta")
        .containsPattern("shop\\.example *\n +/ +web:80 \\(10\\.1\\.2\\.3:8080\\)")
        .containsPattern("/api +api:8080 \\(<error: endpoints \"api\" not found>\\)");
    assertThat(get("describe", "ing", "shop"))
        .containsPattern("Address: +10\\.0\\.0\\.9")
        .containsPattern("Ingress Class: +nauta")
        .containsPattern("shop\\.example *\n +/ +web:80 \\(10\\.1\\.2\\.3:8080\\)")
        .containsPattern("/api +api:8080 \\(<error: services \"api\" not found>\\)");
  }

  @Test
  void theNewestDefaultClassIsFilledInUnlessTheIngressNamesOne() {
    ok(
        kubectl.runWithInput(
            """
            apiVersion: networking.k8s.io/v1
            kind: IngressClass
            metadata:
              name: newer
              annotations:
                ingressclass.kubernetes.io/is-default-class: "true"
            spec:
              controller: example.com/lb
              parameters:
                kind: LoadBalancerParameters
                apiGroup: lb.example.com
                name: shared
            """,
            "create",
            "-f",
            "-"));
    // the newest default wins, as upstream's DefaultIngressClass picks it
    assertThat(get("get", "ingressclass", "newer"))
        .containsPattern(
            "newer +example\\.com/lb +LoadBalancerParameters\\.lb\\.example\\.com/shared +\\d+s");
    assertThat(get("get", "ingressclass", "newer", "-o", "jsonpath={.spec.parameters.scope}"))
        .isEqualTo("Cluster");
    ok(kubectl.run("create", "ingress", "defaulted", "--rule=a.example/=web:80"));
    // the older annotation counts as a class: nothing filled in
    ok(
        kubectl.run(
            "create",
            "ingress",
            "annotated",
            "--rule=a.example/=web:80",
            "--annotation=kubernetes.io/ingress.class=legacy"));
    ok(kubectl.run("delete", "ingressclass", "newer"));
    assertThat(
            get(
                "get",
                "ing",
                "defaulted",
                "annotated",
                "-o",
                "jsonpath={.items[*].spec.ingressClassName}|"))
        .isEqualTo("newer|");
  }

  @Test
  void aBadIngressIsRefusedWithUpstreamsMessagesAndNothingStored() {
    ApiCalls.Response r =
        api.post(
            "/apis/networking.k8s.io/v1/namespaces/default/ingresses",
            """
            {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "bad"},
             "spec": {"rules": [{"host": "10.0.0.1", "http": {"paths": [
               {"path": "api", "pathType": "Prefix",
                "backend": {"service": {"name": "api", "port": {}}}}]}}]}}
            """);
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.reason()).isEqualTo("Invalid");
    assertThat(r.body().path("message").asString(""))
        .isEqualTo(
            "Ingress.networking.k8s.io \"bad\" is invalid: [spec.rules[0].host: Invalid value:"
                + " \"10.0.0.1\": must be a DNS name, not an IP address,"
                + " spec.rules[0].http.paths[0].path: Invalid value: \"api\": must be an absolute"
                + " path, spec.rules[0].http.paths[0].backend: Required value: port name or number"
                + " is required]");
    assertThat(api.get("/apis/networking.k8s.io/v1/namespaces/default/ingresses/bad").status())
        .isEqualTo(404);

    Kubectl.Result badClass =
        kubectl.runWithInput(
            """
            apiVersion: networking.k8s.io/v1
            kind: IngressClass
            metadata:
              name: bad
            spec:
              controller: nauta
            """,
            "create",
            "-f",
            "-");
    assertThat(badClass.stderr())
        .contains(
            "The IngressClass \"bad\" is invalid: spec.controller: Invalid value: \"nauta\":"
                + " must be a domain-prefixed path (such as"
                + " \"acme.io/foo\")");
  }

  @Test
  void viewReadsIngressesEditWritesThem() {
    ok(
        kubectl.run(
            "create", "rolebinding", "ing-viewer", "--clusterrole=view", "--user=ing-viewer"));
    ok(
        kubectl.run(
            "create", "rolebinding", "ing-editor", "--clusterrole=edit", "--user=ing-editor"));
    assertThat(canI("ing-viewer", "list", "ingresses.networking.k8s.io")).isEqualTo("yes");
    assertThat(canI("ing-viewer", "get", "ingresses.networking.k8s.io/status")).isEqualTo("yes");
    assertThat(canI("ing-viewer", "create", "ingresses.networking.k8s.io")).isEqualTo("no");
    assertThat(canI("ing-editor", "create", "ingresses.networking.k8s.io")).isEqualTo("yes");
    // as upstream, no namespaced default role reads ingress classes
    assertThat(canI("ing-editor", "list", "ingressclasses.networking.k8s.io")).isEqualTo("no");
  }

  private static Kubectl.Result patchStatus(String point) {
    return kubectl.run(
        "patch",
        "ing",
        "shop",
        "--subresource=status",
        "--type=merge",
        "-p",
        "{\"status\":{\"loadBalancer\":{\"ingress\":[" + point + "]}}}");
  }

  private static String canI(String user, String verb, String resource) {
    return kubectl.run("auth", "can-i", verb, resource, "--as=" + user).stdout().strip();
  }
}
