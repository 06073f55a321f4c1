package io.nauta.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.security.AuthorizationAttributes;
import io.nauta.api.security.RequestAttributes;
import io.nauta.api.security.UserInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.util.LinkedMultiValueMap;

/** Rule matching as Kubernetes' policy checker does it, table-driven, plus seeded random cases. */
class AuditPolicyTest {

  private static final UserInfo ADMIN =
      new UserInfo("admin", List.of("system:masters", "system:authenticated"));
  private static final UserInfo NODE =
      new UserInfo("system:node:n1", List.of("system:nodes", "system:authenticated"));
  private static final UserInfo DEV = new UserInfo("dev", List.of("system:authenticated"));

  /** The agent of several simulated nodes, as the cluster PKI's certificate names it. */
  private static final UserInfo SIMULATOR =
      new UserInfo("nauta:node-simulator", List.of("system:nodes", "system:authenticated"));

  private static final UserInfo CONTROLLER_MANAGER =
      new UserInfo("system:kube-controller-manager", List.of("system:authenticated"));
  private static final UserInfo SCHEDULER =
      new UserInfo("system:kube-scheduler", List.of("system:authenticated"));

  private static AuthorizationAttributes request(UserInfo user, String method, String uri) {
    String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
    LinkedMultiValueMap<String, String> query = new LinkedMultiValueMap<>();
    if (uri.contains("?")) {
      for (String kv : uri.substring(uri.indexOf('?') + 1).split("&")) {
        String[] p = kv.split("=", 2);
        query.add(p[0], p.length > 1 ? p[1] : "");
      }
    }
    return RequestAttributes.of(user, method, path, query);
  }

  private static AuditLevel level(String policyYaml, AuthorizationAttributes request) {
    return AuditPolicyFile.parse(policyYaml, "test").evaluate(request).level();
  }

  private static String policy(String... rules) {
    return "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n" + String.join("\n", rules);
  }

  private record Case(String rule, UserInfo user, String method, String uri, boolean matches) {}

  @Test
  void eachFieldOfARuleNarrowsWhatItMatches() {
    List<Case> cases =
        List.of(
            new Case("{level: Metadata}", DEV, "GET", "/healthz", true),
            new Case("{level: Metadata, users: [admin]}", ADMIN, "GET", "/api/v1/pods", true),
            new Case("{level: Metadata, users: [admin]}", DEV, "GET", "/api/v1/pods", false),
            new Case("{level: Metadata, userGroups: [system:nodes]}", NODE, "GET", "/api", true),
            new Case("{level: Metadata, userGroups: [system:nodes]}", ADMIN, "GET", "/api", false),
            new Case("{level: Metadata, verbs: [list]}", DEV, "GET", "/api/v1/pods", true),
            new Case("{level: Metadata, verbs: [get]}", DEV, "GET", "/api/v1/pods", false),
            new Case(
                "{level: Metadata, verbs: [watch]}", DEV, "GET", "/api/v1/pods?watch=true", true),
            new Case(
                "{level: Metadata, verbs: [deletecollection]}",
                DEV,
                "DELETE",
                "/api/v1/namespaces/a/pods",
                true),
            new Case(
                "{level: Metadata, namespaces: [a]}",
                DEV,
                "GET",
                "/api/v1/namespaces/a/pods",
                true),
            new Case(
                "{level: Metadata, namespaces: [a]}",
                DEV,
                "GET",
                "/api/v1/namespaces/b/pods",
                false),
            // A namespaces rule never matches a path outside the API.
            new Case("{level: Metadata, namespaces: [a]}", DEV, "GET", "/healthz", false),
            // Cluster-scoped objects have the empty namespace.
            new Case("{level: Metadata, namespaces: [\"\"]}", DEV, "GET", "/api/v1/nodes", true),
            new Case(
                "{level: Metadata, resources: [{group: \"\", resources: [pods]}]}",
                DEV,
                "GET",
                "/api/v1/namespaces/a/pods/web",
                true),
            new Case(
                "{level: Metadata, resources: [{group: apps, resources: [pods]}]}",
                DEV,
                "GET",
                "/api/v1/namespaces/a/pods/web",
                false),
            // "pods" is not "pods/log".
            new Case(
                "{level: Metadata, resources: [{group: \"\", resources: [pods]}]}",
                DEV,
                "GET",
                "/api/v1/namespaces/a/pods/web/log",
                false),
            new Case(
                "{level: Metadata, resources: [{group: \"\", resources: [pods/log]}]}",
                DEV,
                "GET",
                "/api/v1/namespaces/a/pods/web/log",
                true),
            new Case(
                "{level: Metadata, resources: [{group: \"\", resources: [\"pods/*\"]}]}",
                DEV,
                "GET",
                "/api/v1/namespaces/a/pods/web/status",
                true),
            // As Kubernetes' checker: "pods/*" is pods and every subresource of pods.
            new Case(
                "{level: Metadata, resources: [{group: \"\", resources: [\"pods/*\"]}]}",
                DEV,
                "GET",
                "/api/v1/namespaces/a/pods/web",
                true),
            new Case(
                "{level: Metadata, resources: [{group: \"\", resources: [\"pods/*\"]}]}",
                DEV,
                "GET",
                "/api/v1/namespaces/a/services/web/proxy",
                false),
            new Case(
                "{level: Metadata, resources: [{group: apps, resources: [\"*/scale\"]}]}",
                DEV,
                "PUT",
                "/apis/apps/v1/namespaces/a/deployments/web/scale",
                true),
            new Case(
                "{level: Metadata, resources: [{group: apps, resources: [\"*/scale\"]}]}",
                DEV,
                "PUT",
                "/apis/apps/v1/namespaces/a/deployments/web",
                false),
            new Case(
                "{level: Metadata, resources: [{group: apps, resources: [\"*\"]}]}",
                DEV,
                "PUT",
                "/apis/apps/v1/namespaces/a/deployments/web/status",
                true),
            // A group without resources is every resource of the group.
            new Case(
                "{level: Metadata, resources: [{group: apps}]}",
                DEV,
                "GET",
                "/apis/apps/v1/replicasets",
                true),
            new Case(
                "{level: Metadata, resources: [{group: \"\", resources: [configmaps],"
                    + " resourceNames: [cfg]}]}",
                DEV,
                "GET",
                "/api/v1/namespaces/a/configmaps/cfg",
                true),
            new Case(
                "{level: Metadata, resources: [{group: \"\", resources: [configmaps],"
                    + " resourceNames: [cfg]}]}",
                DEV,
                "GET",
                "/api/v1/namespaces/a/configmaps/other",
                false),
            new Case(
                "{level: Metadata, nonResourceURLs: [/healthz*]}", DEV, "GET", "/healthz", true),
            new Case(
                "{level: Metadata, nonResourceURLs: [/healthz*]}",
                DEV,
                "GET",
                "/healthz/etcd",
                true),
            new Case(
                "{level: Metadata, nonResourceURLs: [/version]}", DEV, "GET", "/versions", false),
            new Case("{level: Metadata, nonResourceURLs: [\"*\"]}", DEV, "GET", "/metrics", true),
            // A nonResourceURLs rule never matches a resource request.
            new Case(
                "{level: Metadata, nonResourceURLs: [\"*\"]}", DEV, "GET", "/api/v1/pods", false));
    for (Case c : cases) {
      AuditLevel got = level(policy("- " + c.rule()), request(c.user(), c.method(), c.uri()));
      assertThat(got)
          .as("%s on %s %s by %s", c.rule(), c.method(), c.uri(), c.user().name())
          .isEqualTo(c.matches() ? AuditLevel.Metadata : AuditLevel.None);
    }
  }

  @Test
  void theFirstMatchingRuleDecidesAndNoMatchIsNone() {
    String yaml =
        policy(
            "- {level: None, nonResourceURLs: [/healthz*]}",
            "- {level: Metadata, resources: [{group: \"\", resources: [secrets]}]}",
            "- {level: RequestResponse, verbs: [create]}");
    assertThat(level(yaml, request(ADMIN, "POST", "/api/v1/namespaces/a/secrets")))
        .isEqualTo(AuditLevel.Metadata);
    assertThat(level(yaml, request(ADMIN, "POST", "/api/v1/namespaces/a/pods")))
        .isEqualTo(AuditLevel.RequestResponse);
    assertThat(level(yaml, request(ADMIN, "GET", "/healthz"))).isEqualTo(AuditLevel.None);
    assertThat(level(yaml, request(ADMIN, "GET", "/api/v1/namespaces/a/pods")))
        .isEqualTo(AuditLevel.None);
  }

  @Test
  void thePolicysOmittedStagesAddToEachRules() {
    AuditPolicy p =
        AuditPolicyFile.parse(
            "apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n"
                + "- {level: Metadata, verbs: [watch], omitStages: [ResponseStarted]}\n"
                + "- {level: Metadata}\n",
            "test");
    AuditPolicy.Decision watch = p.evaluate(request(DEV, "GET", "/api/v1/pods?watch=1"));
    assertThat(watch.omitStages())
        .containsExactlyInAnyOrder(AuditStage.RequestReceived, AuditStage.ResponseStarted);
    assertThat(watch.logs(AuditStage.ResponseComplete)).isTrue();
    assertThat(p.evaluate(request(DEV, "GET", "/api/v1/pods")).omitStages())
        .containsExactly(AuditStage.RequestReceived);
  }

  /**
   * Over seeded random policies and requests: a rule appended at the end changes the decision only
   * for requests no earlier rule matched, and putting a copy of the deciding rule first changes
   * nothing (the first match decides).
   */
  @Test
  void onlyTheFirstMatchingRuleDecidesOverRandomPoliciesAndRequests() {
    Random random = new Random(20261205L);
    String[] users = {"admin", "dev", "system:node:n1"};
    String[] verbs = {"get", "list", "watch", "create", "update", "delete"};
    String[] resources = {"pods", "pods/log", "pods/*", "*/scale", "secrets", "*", "deployments"};
    String[] uris = {
      "/api/v1/namespaces/a/pods",
      "/api/v1/namespaces/b/pods/web",
      "/api/v1/namespaces/a/pods/web/log",
      "/api/v1/namespaces/a/secrets/s",
      "/apis/apps/v1/namespaces/a/deployments/d/scale",
      "/apis/apps/v1/deployments",
      "/healthz",
      "/metrics"
    };
    String[] methods = {"GET", "POST", "PUT", "DELETE"};
    for (int iteration = 0; iteration < 500; iteration++) {
      List<String> rules = new ArrayList<>();
      int n = 1 + random.nextInt(5);
      for (int i = 0; i < n; i++) {
        StringBuilder r = new StringBuilder("- {level: ");
        r.append(AuditLevel.values()[random.nextInt(4)]);
        if (random.nextBoolean()) {
          r.append(", users: [").append(users[random.nextInt(users.length)]).append("]");
        }
        if (random.nextBoolean()) {
          r.append(", verbs: [").append(verbs[random.nextInt(verbs.length)]).append("]");
        }
        int kind = random.nextInt(3);
        if (kind == 1) {
          String group = random.nextBoolean() ? "\"\"" : "apps";
          r.append(", resources: [{group: ")
              .append(group)
              .append(", resources: [\"")
              .append(resources[random.nextInt(resources.length)])
              .append("\"]}]");
        } else if (kind == 2) {
          r.append(", nonResourceURLs: [")
              .append(random.nextBoolean() ? "/healthz*" : "\"*\"")
              .append("]");
        }
        rules.add(r.append("}").toString());
      }
      AuditPolicy base = AuditPolicyFile.parse(policy(rules.toArray(String[]::new)), "random");
      List<String> extended = new ArrayList<>(rules);
      extended.add("- {level: RequestResponse}");
      AuditPolicy withCatchAll =
          AuditPolicyFile.parse(policy(extended.toArray(String[]::new)), "random");
      UserInfo user = random.nextBoolean() ? ADMIN : random.nextBoolean() ? NODE : DEV;
      AuthorizationAttributes req =
          request(user, methods[random.nextInt(methods.length)], uris[random.nextInt(uris.length)]);
      int first = -1;
      for (int i = 0; i < base.rules().size() && first < 0; i++) {
        if (base.rules().get(i).matches(req)) {
          first = i;
        }
      }
      String what = rules + " on " + req;
      if (first < 0) {
        assertThat(base.evaluate(req).level()).as(what).isEqualTo(AuditLevel.None);
        assertThat(withCatchAll.evaluate(req).level())
            .as(what)
            .isEqualTo(AuditLevel.RequestResponse);
      } else {
        assertThat(base.evaluate(req).level()).as(what).isEqualTo(base.rules().get(first).level());
        assertThat(withCatchAll.evaluate(req)).as(what).isEqualTo(base.evaluate(req));
        List<String> decidingFirst = new ArrayList<>(rules);
        decidingFirst.add(0, rules.get(first));
        assertThat(
                AuditPolicyFile.parse(policy(decidingFirst.toArray(String[]::new)), "random")
                    .evaluate(req))
            .as(what)
            .isEqualTo(base.evaluate(req));
      }
    }
  }

  @Test
  void theDefaultPolicyKeepsCredentialsAtMetadataAndSkipsNoisyReads() {
    AuditPolicy p = AuditPolicyFile.read(Path.of("..", "deploy", "audit-policy.yaml"));
    assertThat(p.evaluate(request(ADMIN, "POST", "/api/v1/namespaces/a/secrets")).level())
        .isEqualTo(AuditLevel.Metadata);
    assertThat(p.evaluate(request(ADMIN, "PUT", "/api/v1/namespaces/a/configmaps/c")).level())
        .isEqualTo(AuditLevel.Metadata);
    assertThat(
            p.evaluate(request(ADMIN, "POST", "/apis/authentication.k8s.io/v1/tokenreviews"))
                .level())
        .isEqualTo(AuditLevel.Metadata);
    assertThat(
            p.evaluate(request(ADMIN, "POST", "/api/v1/namespaces/a/serviceaccounts/sa/token"))
                .level())
        .isEqualTo(AuditLevel.Metadata);
    assertThat(p.evaluate(request(ADMIN, "POST", "/api/v1/namespaces/a/pods")).level())
        .isEqualTo(AuditLevel.RequestResponse);
    assertThat(p.evaluate(request(DEV, "DELETE", "/api/v1/namespaces/a/pods/web")).level())
        .isEqualTo(AuditLevel.RequestResponse);
    assertThat(p.evaluate(request(DEV, "GET", "/api/v1/namespaces/a/pods")).level())
        .isEqualTo(AuditLevel.Metadata);
    assertThat(p.evaluate(request(NODE, "GET", "/api/v1/nodes/n1")).level())
        .isEqualTo(AuditLevel.None);
    assertThat(
            p.evaluate(
                    request(
                        NODE,
                        "PUT",
                        "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1"))
                .level())
        .isEqualTo(AuditLevel.None);
    assertThat(p.evaluate(request(null, "GET", "/readyz")).level()).isEqualTo(AuditLevel.None);
    // Nodes' status reports: what they sent only. The node simulator counts as nodes here.
    for (UserInfo node : List.of(NODE, SIMULATOR)) {
      assertThat(p.evaluate(request(node, "PUT", "/api/v1/nodes/n1/status")).level())
          .isEqualTo(AuditLevel.Request);
      assertThat(p.evaluate(request(node, "PATCH", "/api/v1/namespaces/a/pods/web/status")).level())
          .isEqualTo(AuditLevel.Request);
      assertThat(
              p.evaluate(
                      request(
                          node,
                          "PUT",
                          "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1"))
                  .level())
          .isEqualTo(AuditLevel.None);
    }
    assertThat(p.evaluate(request(DEV, "PATCH", "/api/v1/namespaces/a/pods/web/status")).level())
        .isEqualTo(AuditLevel.RequestResponse);
    assertThat(p.evaluate(request(DEV, "POST", "/api/v1/namespaces/a/pods")).omitStages())
        .isEqualTo(Set.of(AuditStage.RequestReceived));
  }

  private record Expected(UserInfo user, String method, String uri, AuditLevel level) {}

  /**
   * At scale the system's own traffic (node heartbeats and status reports, leader election, events)
   * must not be logged at RequestResponse: GCE's default policy
   * (cluster/gce/gci/configure-helper.sh, create-master-audit-policy) decides each as below.
   */
  @Test
  void theDefaultPolicyLogsTheSystemsOwnTrafficAsGcesPolicyDoes() {
    AuditPolicy p = AuditPolicyFile.read(Path.of("..", "deploy", "audit-policy.yaml"));
    String leases = "/apis/coordination.k8s.io/v1/namespaces/";
    List<Expected> table =
        List.of(
            // Lease renewals: node heartbeats and leader election.
            new Expected(
                SIMULATOR, "PUT", leases + "kube-node-lease/leases/node-7", AuditLevel.None),
            new Expected(
                SIMULATOR, "GET", leases + "kube-node-lease/leases/node-7", AuditLevel.None),
            new Expected(
                CONTROLLER_MANAGER,
                "PUT",
                leases + "kube-system/leases/kube-controller-manager",
                AuditLevel.None),
            new Expected(
                SCHEDULER, "PUT", leases + "kube-system/leases/kube-scheduler", AuditLevel.None),
            // Anyone else's lease writes are ordinary writes.
            new Expected(DEV, "PUT", leases + "a/leases/mine", AuditLevel.RequestResponse),
            new Expected(
                CONTROLLER_MANAGER,
                "PUT",
                leases + "a/leases/not-leader-election",
                AuditLevel.RequestResponse),
            // Endpoints the components read and update in kube-system.
            new Expected(
                CONTROLLER_MANAGER,
                "PUT",
                "/api/v1/namespaces/kube-system/endpoints/kube-dns",
                AuditLevel.None),
            new Expected(
                SCHEDULER, "GET", "/api/v1/namespaces/kube-system/endpoints/x", AuditLevel.None),
            // Status reports of nodes, the simulator's included: the request, not the answer.
            new Expected(SIMULATOR, "PUT", "/api/v1/nodes/node-7/status", AuditLevel.Request),
            new Expected(SIMULATOR, "PATCH", "/api/v1/nodes/node-7/status", AuditLevel.Request),
            new Expected(
                SIMULATOR, "PUT", "/api/v1/namespaces/scale/pods/web-1/status", AuditLevel.Request),
            new Expected(SIMULATOR, "GET", "/api/v1/nodes/node-7", AuditLevel.None),
            // Events, whoever writes them: who and what only.
            new Expected(
                CONTROLLER_MANAGER, "POST", "/api/v1/namespaces/a/events", AuditLevel.Metadata),
            new Expected(
                SIMULATOR,
                "POST",
                "/apis/events.k8s.io/v1/namespaces/a/events",
                AuditLevel.Metadata),
            // A namespace's deletion by the namespace controller: the request only.
            new Expected(
                CONTROLLER_MANAGER, "DELETE", "/api/v1/namespaces/a/pods", AuditLevel.Request),
            // What a component creates is still logged in full, as GCE's policy logs it.
            new Expected(
                CONTROLLER_MANAGER,
                "POST",
                "/api/v1/namespaces/a/pods",
                AuditLevel.RequestResponse),
            new Expected(
                SCHEDULER,
                "POST",
                "/api/v1/namespaces/a/pods/web-1/binding",
                AuditLevel.RequestResponse));
    for (Expected e : table) {
      assertThat(p.evaluate(request(e.user(), e.method(), e.uri())).level())
          .as(e.user().name() + " " + e.method() + " " + e.uri())
          .isEqualTo(e.level());
    }
  }
}
