package io.nauta.api.security.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.cache.CachedObject;
import io.nauta.api.security.AuthorizationAttributes;
import io.nauta.api.security.Authorizer.Decision;
import io.nauta.api.security.Authorizer.Decision.Verdict;
import io.nauta.api.security.UserInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The Node authorizer's decisions, from a graph fed as the pod watch cache feeds it. */
class NodeAuthorizerTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final UserInfo N1 = node("n1");

  private NodeGraph graph;
  private NodeAuthorizer authorizer;

  @BeforeEach
  void setUp() {
    graph = new NodeGraph();
    authorizer = new NodeAuthorizer(graph);
    graph.replaced(
        List.of(
            pod(
                "p1",
                "n1",
                """
                {"serviceAccountName": "sa1",
                 "imagePullSecrets": [{"name": "pull"}],
                 "containers": [{"name": "c",
                   "env": [{"name": "A", "valueFrom": {"secretKeyRef": {"name": "env-secret", "key": "k"}}}],
                   "envFrom": [{"configMapRef": {"name": "cm1"}}]}],
                 "volumes": [{"name": "v", "secret": {"secretName": "s1"}},
                   {"name": "p", "projected": {"sources": [{"configMap": {"name": "projected-cm"}}]}},
                   {"name": "data", "persistentVolumeClaim": {"claimName": "claim"}}]}
                """),
            pod(
                "p2",
                "n2",
                """
                {"serviceAccountName": "sa2",
                 "containers": [{"name": "c"}],
                 "volumes": [{"name": "v", "secret": {"secretName": "s2"}}]}
                """),
            pod(
                "pending",
                "",
                "{\"volumes\": [{\"name\": \"v\", \"secret\": {\"secretName\": \"s3\"}}]}")));
  }

  @Test
  void aNodeReadsWhatItsPodsReferTo() {
    for (String secret : List.of("s1", "pull", "env-secret")) {
      assertThat(decide(N1, "get", "secrets", "", "a", secret).verdict())
          .as(secret)
          .isEqualTo(Verdict.ALLOW);
    }
    for (String cm : List.of("cm1", "projected-cm")) {
      assertThat(decide(N1, "get", "configmaps", "", "a", cm).verdict()).isEqualTo(Verdict.ALLOW);
    }
    assertThat(decide(N1, "get", "persistentvolumeclaims", "", "a", "claim").verdict())
        .isEqualTo(Verdict.ALLOW);
    // A watch of one object by name, as the kubelet's "Watch" strategy reads it.
    assertThat(decide(N1, "watch", "secrets", "", "a", "s1").verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(decide(N1, "create", "serviceaccounts", "token", "a", "sa1").verdict())
        .isEqualTo(Verdict.ALLOW);
  }

  @Test
  void whatOnlyAnotherNodesPodsUseHasNoRelationship() {
    Decision d = decide(N1, "get", "secrets", "", "a", "s2");
    assertThat(d).isEqualTo(noOpinion("no relationship found between node 'n1' and this object"));
    assertThat(decide(N1, "get", "secrets", "", "b", "s1").verdict())
        .as("same name, other namespace")
        .isEqualTo(Verdict.NO_OPINION);
    assertThat(decide(N1, "get", "secrets", "", "a", "s3").verdict())
        .as("a pod bound to no node")
        .isEqualTo(Verdict.NO_OPINION);
    assertThat(decide(N1, "create", "serviceaccounts", "token", "a", "sa2"))
        .isEqualTo(noOpinion("no relationship found between node 'n1' and this object"));
  }

  @Test
  void onlySingleObjectsAreReadAndNothingWritten() {
    assertThat(decide(N1, "list", "secrets", "", "a", ""))
        .isEqualTo(noOpinion("No Object name found"));
    assertThat(decide(N1, "update", "secrets", "", "a", "s1"))
        .isEqualTo(noOpinion("can only read resources of this type"));
    assertThat(decide(N1, "list", "persistentvolumeclaims", "", "a", "claim"))
        .isEqualTo(noOpinion("can only get individual resources of this type"));
    assertThat(decide(N1, "get", "serviceaccounts", "", "a", "sa1"))
        .isEqualTo(noOpinion("can only create tokens for individual service accounts"));
    assertThat(decide(N1, "get", "secrets", "", "", "s1"))
        .isEqualTo(noOpinion("can only read namespaced object of this type"));
  }

  @Test
  void aReferenceLastsWhileAnyPodOnTheNodeKeepsIt() {
    CachedObject twin =
        pod(
            "p1-twin",
            "n1",
            "{\"volumes\": [{\"name\": \"v\", \"secret\": {\"secretName\": \"s1\"}}]}");
    graph.applied(twin, null, false);
    CachedObject p1 = pod("p1", "n1", "{}");
    graph.applied(p1, p1, true);
    assertThat(decide(N1, "get", "secrets", "", "a", "s1").verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(decide(N1, "get", "configmaps", "", "a", "cm1").verdict())
        .isEqualTo(Verdict.NO_OPINION);

    graph.applied(twin, twin, true);
    assertThat(decide(N1, "get", "secrets", "", "a", "s1").verdict()).isEqualTo(Verdict.NO_OPINION);
  }

  @Test
  void bindingAPodGivesItsNodeItsReferences() {
    CachedObject pending =
        pod(
            "pending",
            "",
            "{\"volumes\": [{\"name\": \"v\", \"secret\": {\"secretName\": \"s3\"}}]}");
    CachedObject bound =
        pod(
            "pending",
            "n1",
            "{\"volumes\": [{\"name\": \"v\", \"secret\": {\"secretName\": \"s3\"}}]}");
    graph.applied(bound, pending, false);
    assertThat(decide(N1, "get", "secrets", "", "a", "s3").verdict()).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void aNodeGetsTheVolumeOfAClaimItsPodUsesOnceTheClaimIsBound() {
    CachedObject pending = claim("claim", "");
    graph.claims.replaced(List.of(pending, claim("other", "pv-other")));
    assertThat(decide(N1, "get", "persistentvolumes", "", "", "pv-1"))
        .isEqualTo(noOpinion("no relationship found between node 'n1' and this object"));

    CachedObject bound = claim("claim", "pv-1");
    graph.claims.applied(bound, pending, false);
    assertThat(decide(N1, "get", "persistentvolumes", "", "", "pv-1").verdict())
        .isEqualTo(Verdict.ALLOW);
    // only reading one volume; a volume only another pod's claim names stays out of reach
    assertThat(decide(N1, "list", "persistentvolumes", "", "", "pv-1"))
        .isEqualTo(noOpinion("can only get individual resources of this type"));
    assertThat(decide(N1, "get", "persistentvolumes", "", "", "pv-other").verdict())
        .isEqualTo(Verdict.NO_OPINION);
    assertThat(decide(node("n2"), "get", "persistentvolumes", "", "", "pv-1").verdict())
        .isEqualTo(Verdict.NO_OPINION);

    // the claim gone (or its pod gone), the edge goes
    graph.claims.applied(bound, bound, true);
    assertThat(decide(N1, "get", "persistentvolumes", "", "", "pv-1").verdict())
        .isEqualTo(Verdict.NO_OPINION);
    graph.claims.applied(bound, null, false);
    graph.applied(pod("p1", "n1", "{}"), null, true);
    assertThat(decide(N1, "get", "persistentvolumes", "", "", "pv-1").verdict())
        .isEqualTo(Verdict.NO_OPINION);
  }

  @Test
  void aNodeUsesOnlyItsOwnLeaseInTheNodeLeaseNamespace() {
    for (String verb : List.of("get", "update", "patch", "delete")) {
      assertThat(decide(N1, verb, "leases", "", "kube-node-lease", "n1", "coordination.k8s.io"))
          .isEqualTo(Decision.allow(""));
    }
    assertThat(decide(N1, "create", "leases", "", "kube-node-lease", "", "coordination.k8s.io"))
        .isEqualTo(Decision.allow(""));
    assertThat(decide(N1, "update", "leases", "", "kube-node-lease", "n2", "coordination.k8s.io"))
        .isEqualTo(
            noOpinion("can only access node lease with the same name as the requesting node"));
    assertThat(decide(N1, "get", "leases", "", "kube-system", "n1", "coordination.k8s.io"))
        .isEqualTo(noOpinion("can only access leases in the \"kube-node-lease\" system namespace"));
    assertThat(decide(N1, "list", "leases", "", "kube-node-lease", "", "coordination.k8s.io"))
        .isEqualTo(noOpinion("can only get, create, update, patch, or delete a node lease"));
  }

  @Test
  void everyNodeMayWhatTheNodeRulesGrant() {
    assertThat(decide(N1, "get", "nodes", "", "", "n2").verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(decide(N1, "update", "nodes", "status", "", "n2").verdict())
        .as("NodeRestriction keeps it to its own")
        .isEqualTo(Verdict.ALLOW);
    assertThat(decide(N1, "patch", "pods", "status", "a", "p2").verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(decide(N1, "watch", "endpoints", "", "", "").verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(decide(N1, "create", "events", "", "a", "").verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(decide(N1, "delete", "nodes", "", "", "n1")).isEqualTo(Decision.noOpinion());
    assertThat(decide(N1, "create", "deployments", "", "a", "", "apps"))
        .isEqualTo(Decision.noOpinion());
  }

  @Test
  void whoIsNoNodeIsLeftToRbac() {
    UserInfo noGroup = new UserInfo("system:node:n1", List.of("system:authenticated"));
    assertThat(decide(noGroup, "get", "secrets", "", "a", "s1")).isEqualTo(Decision.noOpinion());
    // In system:nodes, as the PKI makes it, but named no system:node:<name>.
    UserInfo simulator =
        new UserInfo("nauta:node-simulator", List.of("system:nodes", "system:authenticated"));
    assertThat(decide(simulator, "get", "nodes", "", "", "n1")).isEqualTo(Decision.noOpinion());
    UserInfo nameless = new UserInfo("system:node:", List.of("system:nodes"));
    assertThat(decide(nameless, "get", "nodes", "", "", "n1"))
        .isEqualTo(noOpinion("unknown node for user \"system:node:\""));
  }

  // ---- support

  private static UserInfo node(String name) {
    return new UserInfo("system:node:" + name, List.of("system:nodes", "system:authenticated"));
  }

  private Decision decide(
      UserInfo user, String verb, String resource, String sub, String ns, String name) {
    return decide(user, verb, resource, sub, ns, name, "");
  }

  private Decision decide(
      UserInfo user,
      String verb,
      String resource,
      String sub,
      String ns,
      String name,
      String group) {
    return authorizer
        .authorize(
            AuthorizationAttributes.resource(user, verb, group, "v1", resource, sub, ns, name))
        .block();
  }

  private static Decision noOpinion(String reason) {
    return new Decision(Verdict.NO_OPINION, reason);
  }

  private static CachedObject claim(String name, String volume) {
    ObjectNode claim = JSON.createObjectNode();
    claim.put("apiVersion", "v1").put("kind", "PersistentVolumeClaim");
    claim.putObject("metadata").put("namespace", "a").put("name", name);
    ObjectNode spec = claim.putObject("spec");
    if (!volume.isEmpty()) {
      spec.put("volumeName", volume);
    }
    return new CachedObject("a\0" + name, "a", name, 1, claim, claim.toString(), Map.of());
  }

  private static CachedObject pod(String name, String node, String spec) {
    ObjectNode pod = JSON.createObjectNode();
    pod.put("apiVersion", "v1").put("kind", "Pod");
    pod.putObject("metadata").put("namespace", "a").put("name", name);
    ObjectNode s = (ObjectNode) JSON.readTree(spec);
    if (!node.isEmpty()) {
      s.put("nodeName", node);
    }
    pod.set("spec", s);
    return new CachedObject("a\0" + name, "a", name, 1, pod, pod.toString(), Map.of());
  }
}
