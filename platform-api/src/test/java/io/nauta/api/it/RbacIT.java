package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.support.TestApiServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * RBAC against a real API server with security on, driven by the real kubectl. Every user has a
 * real credential: people a client certificate from the cluster's client CA (CN the user, O the
 * groups), the service account {@code a:bot} the token {@code kubectl create token} gives it.
 */
class RbacIT {

  /** Who makes a request, with a client certificate naming user and groups. */
  private record Who(String user, String... groups) {}

  private static final Who ADMIN = new Who("nauta-admin", "system:masters");
  private static final Who BOT = new Who("system:serviceaccount:a:bot");
  private static final Who DEV = new Who("dev", "developers");

  private static TestApiServer server;
  private static WebTestClient anonymous;
  private static String botToken;
  private static final Map<String, Kubectl> kubectls = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
    anonymous = server.anonymousClient();
    for (String ns : new String[] {"a", "b"}) {
      Kubectl.Result r = as(ADMIN, "create", "namespace", ns);
      assertThat(r.exitCode()).as(r.toString()).isZero();
    }
    ok(as(ADMIN, "-n", "a", "create", "serviceaccount", "bot"));
    Kubectl.Result token = as(ADMIN, "-n", "a", "create", "token", "bot");
    ok(token);
    botToken = token.stdout().trim();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Kubectl.Result as(Who who, String... args) {
    return kubectl(who).run(args);
  }

  /** kubectl with a kubeconfig of {@code who}'s own: its token, or its client certificate. */
  private static Kubectl kubectl(Who who) {
    return kubectls.computeIfAbsent(
        who.user() + "|" + String.join(",", who.groups()),
        k ->
            new Kubectl(
                who == BOT
                    ? server.kubeconfigWithToken(botToken)
                    : server.kubeconfigAs(who.user(), who.groups())));
  }

  private static WebTestClient http(Who who) {
    return server.clientAs(who.user(), who.groups());
  }

  private static void ok(Kubectl.Result r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
  }

  @Test
  void publicEndpointsAnswerAnyoneButResourcesDoNot() {
    for (String path : new String[] {"/healthz", "/livez", "/readyz", "/version"}) {
      anonymous.get().uri(path).exchange().expectStatus().isOk();
    }
    anonymous
        .get()
        .uri("/api/v1/pods")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .jsonPath("$.kind")
        .isEqualTo("Status")
        .jsonPath("$.reason")
        .isEqualTo("Unauthorized");
    // Authenticated users may discover the API, and nothing more.
    http(DEV).get().uri("/apis").exchange().expectStatus().isOk();
    http(DEV)
        .get()
        .uri("/metrics")
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.message")
        .isEqualTo("forbidden: User \"dev\" cannot get path \"/metrics\"");
  }

  @Test
  void aRoleBindingGrantsItsRulesInItsNamespaceOnly() {
    ok(as(ADMIN, "-n", "a", "create", "role", "pod-reader", "--verb=get,list", "--resource=pods"));
    ok(
        as(
            ADMIN,
            "-n",
            "a",
            "create",
            "rolebinding",
            "bot-reads",
            "--role=pod-reader",
            "--serviceaccount=a:bot"));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> ok(as(BOT, "-n", "a", "get", "pods")));

    Kubectl.Result other = as(BOT, "-n", "b", "get", "pods");
    assertThat(other.exitCode()).isNotZero();
    assertThat(other.stderr())
        .contains(
            "Error from server (Forbidden): pods is forbidden: User"
                + " \"system:serviceaccount:a:bot\" cannot list resource \"pods\" in API group \"\""
                + " in the namespace \"b\"");
    Kubectl.Result create =
        as(BOT, "-n", "a", "run", "web", "--image=nauta/busybox:local", "--restart=Never");
    assertThat(create.exitCode()).isNotZero();
    assertThat(create.stderr())
        .contains(
            "pods is forbidden: User \"system:serviceaccount:a:bot\" cannot create resource"
                + " \"pods\" in API group \"\" in the namespace \"a\"");

    // kubectl auth can-i answers what the requests really got.
    Kubectl.Result yes = as(BOT, "auth", "can-i", "list", "pods", "-n", "a");
    assertThat(yes.exitCode()).as(yes.toString()).isZero();
    assertThat(yes.stdout().trim()).isEqualTo("yes");
    Kubectl.Result no = as(BOT, "auth", "can-i", "list", "pods", "-n", "b");
    assertThat(no.exitCode()).as(no.toString()).isEqualTo(1);
    assertThat(no.stdout().trim()).isEqualTo("no");
    Kubectl.Result noCreate = as(BOT, "auth", "can-i", "create", "pods", "-n", "a");
    assertThat(noCreate.exitCode()).isEqualTo(1);

    Kubectl.Result list = as(BOT, "auth", "can-i", "--list", "-n", "a");
    ok(list);
    assertThat(list.stdout()).containsPattern("pods\\s+\\[\\]\\s+\\[\\]\\s+\\[get list\\]");
    assertThat(list.stdout())
        .containsPattern(
            "selfsubjectaccessreviews.authorization.k8s.io\\s+\\[\\]\\s+\\[\\]\\s+\\[create\\]");
  }

  @Test
  void subjectAccessReviewsAnswerForOthersThroughTheSameChain() {
    ok(as(ADMIN, "-n", "b", "create", "role", "cm-reader", "--verb=get", "--resource=configmaps"));
    ok(
        as(
            ADMIN,
            "-n",
            "b",
            "create",
            "rolebinding",
            "devs-read",
            "--role=cm-reader",
            "--group=readers"));
    String review =
        """
        {"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview",
         "spec":{"user":"sam","groups":["readers"],
                 "resourceAttributes":{"namespace":"%s","verb":"get","resource":"configmaps"}}}
        """;
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                post(
                        "/apis/authorization.k8s.io/v1/subjectaccessreviews",
                        ADMIN,
                        review.formatted("b"))
                    .expectStatus()
                    .isCreated()
                    .expectBody()
                    .jsonPath("$.status.allowed")
                    .isEqualTo(true)
                    .jsonPath("$.status.reason")
                    .isEqualTo(
                        "RBAC: allowed by RoleBinding \"devs-read/b\" of Role \"cm-reader\" to Group"
                            + " \"readers\""));
    post("/apis/authorization.k8s.io/v1/subjectaccessreviews", ADMIN, review.formatted("a"))
        .expectStatus()
        .isCreated()
        .expectBody()
        .jsonPath("$.status.allowed")
        .isEqualTo(false);
    // Only who may create subjectaccessreviews may ask about others.
    post("/apis/authorization.k8s.io/v1/subjectaccessreviews", DEV, review.formatted("b"))
        .expectStatus()
        .isForbidden();
    // A LocalSubjectAccessReview asks within its own namespace.
    post(
            "/apis/authorization.k8s.io/v1/namespaces/b/localsubjectaccessreviews",
            ADMIN,
            """
            {"apiVersion":"authorization.k8s.io/v1","kind":"LocalSubjectAccessReview",
             "spec":{"user":"sam","groups":["readers"],
                     "resourceAttributes":{"verb":"get","resource":"configmaps"}}}
            """)
        .expectStatus()
        .isCreated()
        .expectBody()
        .jsonPath("$.status.allowed")
        .isEqualTo(true);
    post(
            "/apis/authorization.k8s.io/v1/subjectaccessreviews",
            ADMIN,
            "{\"spec\":{\"user\":\"dev\"}}")
        .expectStatus()
        .isEqualTo(422);
    // Reviews are never stored: there is nothing to list.
    http(ADMIN)
        .get()
        .uri("/apis/authorization.k8s.io/v1/subjectaccessreviews")
        .exchange()
        .expectStatus()
        .isEqualTo(405);
  }

  @Test
  void bindingARoleOneDoesNotHoldNeedsTheBindVerb() {
    // dev may manage RBAC objects in namespace b, but holds little else there.
    ok(
        as(
            ADMIN,
            "-n",
            "b",
            "create",
            "role",
            "rbac-manager",
            "--verb=get,list,create,update,patch",
            "--resource=roles.rbac.authorization.k8s.io,rolebindings.rbac.authorization.k8s.io"));
    ok(
        as(
            ADMIN,
            "-n",
            "b",
            "create",
            "rolebinding",
            "dev-manages",
            "--role=rbac-manager",
            "--user=dev"));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(as(DEV, "auth", "can-i", "create", "rolebindings", "-n", "b").exitCode())
                    .isZero());

    Kubectl.Result escalate =
        as(
            DEV,
            "-n",
            "b",
            "create",
            "rolebinding",
            "dev-admin",
            "--clusterrole=cluster-admin",
            "--user=dev");
    assertThat(escalate.exitCode()).isNotZero();
    assertThat(escalate.stderr())
        .contains(
            "rolebindings.rbac.authorization.k8s.io \"dev-admin\" is forbidden: user \"dev\""
                + " (groups=[\"developers\" \"system:authenticated\"]) is attempting to grant RBAC"
                + " permissions not currently held:\n{APIGroups:[\"*\"], Resources:[\"*\"], Verbs:[\"*\"]}");

    Kubectl.Result widerRole =
        as(DEV, "-n", "b", "create", "role", "secret-reader", "--verb=get", "--resource=secrets");
    assertThat(widerRole.exitCode()).isNotZero();
    assertThat(widerRole.stderr())
        .contains(
            "roles.rbac.authorization.k8s.io \"secret-reader\" is forbidden: user \"dev\""
                + " (groups=[\"developers\" \"system:authenticated\"]) is attempting to grant RBAC"
                + " permissions not currently held:\n{APIGroups:[\"\"], Resources:[\"secrets\"],"
                + " Verbs:[\"get\"]}");
    // What one holds, one may hand on.
    ok(
        as(
            DEV,
            "-n",
            "b",
            "create",
            "role",
            "role-reader",
            "--verb=get",
            "--resource=roles.rbac.authorization.k8s.io"));

    // With bind on cluster-admin (in this namespace) the binding is allowed.
    ok(
        as(
            ADMIN,
            "-n",
            "b",
            "create",
            "role",
            "may-bind-admin",
            "--verb=bind",
            "--resource=clusterroles.rbac.authorization.k8s.io",
            "--resource-name=cluster-admin"));
    ok(
        as(
            ADMIN,
            "-n",
            "b",
            "create",
            "rolebinding",
            "dev-may-bind",
            "--role=may-bind-admin",
            "--user=dev"));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                ok(
                    as(
                        DEV,
                        "-n",
                        "b",
                        "create",
                        "rolebinding",
                        "dev-admin",
                        "--clusterrole=cluster-admin",
                        "--user=dev")));
  }

  @Test
  void aBindingsRoleRefCannotChange() {
    ok(
        as(
            ADMIN,
            "-n",
            "a",
            "create",
            "rolebinding",
            "fixed",
            "--clusterrole=view",
            "--user=carol"));
    Kubectl.Result patched =
        as(
            ADMIN,
            "-n",
            "a",
            "patch",
            "rolebinding",
            "fixed",
            "--type=merge",
            "-p",
            "{\"roleRef\":{\"name\":\"edit\"}}");
    assertThat(patched.exitCode()).isNotZero();
    assertThat(patched.stderr())
        .contains(
            "The RoleBinding \"fixed\" is invalid: roleRef: Invalid value:"
                + " rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\","
                + " Name:\"edit\"}: cannot change roleRef");
  }

  @Test
  void defaultRolesAreBootstrappedAndAggregated() {
    for (String role :
        new String[] {
          "cluster-admin",
          "admin",
          "edit",
          "view",
          "system:basic-user",
          "system:discovery",
          "system:public-info-viewer",
          "system:kube-scheduler",
          "system:kube-controller-manager",
          "system:node"
        }) {
      ok(as(ADMIN, "get", "clusterrole", role));
    }
    Kubectl.Result bindings = as(ADMIN, "get", "clusterrolebinding", "cluster-admin", "-o", "wide");
    ok(bindings);
    assertThat(bindings.stdout()).containsPattern("cluster-admin\\s+ClusterRole/cluster-admin");
    assertThat(bindings.stdout()).contains("system:masters");

    // view's rules flow into edit and admin through the aggregation labels.
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              Kubectl.Result admin = as(ADMIN, "get", "clusterrole", "admin", "-o", "yaml");
              ok(admin);
              assertThat(admin.stdout()).contains("pods/log", "rolebindings", "secrets");
            });

    // A new role labelled aggregate-to-view extends view, edit and admin.
    String leaseViewer =
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: lease-viewer
          labels:
            rbac.authorization.k8s.io/aggregate-to-view: "true"
        rules:
        - apiGroups: ["coordination.k8s.io"]
          resources: ["leases"]
          verbs: ["get"]
        """;
    ok(kubectl(ADMIN).runWithInput(leaseViewer, "apply", "-f", "-"));
    ok(
        as(
            ADMIN,
            "-n",
            "a",
            "create",
            "rolebinding",
            "erin-views",
            "--clusterrole=view",
            "--user=erin"));
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(
                        as(
                                new Who("erin"),
                                "auth",
                                "can-i",
                                "get",
                                "leases.coordination.k8s.io",
                                "-n",
                                "a")
                            .exitCode())
                    .isZero());
  }

  private static WebTestClient.ResponseSpec post(String path, Who who, String body) {
    return http(who)
        .post()
        .uri(path)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange();
  }
}
