package io.nauta.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import io.fabric8.kubernetes.api.model.Pod;
import io.nauta.agent.app.NetworkPolicyConfiguration;
import io.nauta.agent.runtime.docker.DockerClients;
import io.nauta.agent.runtime.docker.EgressGuard;
import io.nauta.agent.runtime.docker.TestDockerNode;
import io.nauta.agent.services.ChainNames;
import io.nauta.agent.services.Iptables;
import io.nauta.api.it.Kubectl;
import io.nauta.core.registry.BuiltInResources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 20's NetworkPolicy acceptance on the Docker runtime, one agent running two nodes: {@code
 * web} (serving HTTP on 8080) and {@code intruder} on node 0, {@code client} on node 1, so policies
 * are checked both on one bridge and between bridges. Connections are busybox {@code wget -T 2}
 * from inside the pods: refused traffic is dropped, so a blocked request times out.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkPolicyOnDockerIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;

  private static TestDockerNode nodes;
  private static DockerClient docker;
  private static ControlPlane plane;
  private static ConfigurableApplicationContext agent;
  private static Kubectl kubectl;
  private static ChainNames names;
  private static String webIp;
  private static String intruderIp;

  @BeforeAll
  static void startCluster() {
    EgressGuard.install();
    docker = DockerClients.connect("", System.getProperty("api.version", ""));
    nodes = TestDockerNode.reserve(docker, "it-np", 2);
    names =
        NetworkPolicyConfiguration.chainNames(List.of(nodes.nth(0).name(), nodes.nth(1).name()));
    plane = ControlPlane.start();
    agent =
        plane.startDockerAgent(
            "--nauta.agent.nodes=2",
            "--nauta.agent.node-name-prefix=" + nodes.name(),
            "--nauta.agent.first-node-index=" + nodes.index(),
            "--nauta.agent.status-check-interval=1s");
    kubectl = new Kubectl(plane.api.kubeconfig(dir));
    apply(
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: a}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: b, labels: {team: b}}
        """
            + pod("a", "web", "web", 0, "echo web > /tmp/index.html; exec httpd -f -p 8080 -h /tmp")
            + pod("a", "client", "client", 1, "exec sleep 3600")
            // The intruder also serves on 53: the port client's DNS egress rule lets through.
            + pod(
                "b",
                "intruder",
                "client",
                0,
                "echo dns > /tmp/index.html; httpd -p 53 -h /tmp; exec sleep 3600"));
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              for (String[] p : new String[][] {{"a", "web"}, {"a", "client"}, {"b", "intruder"}}) {
                assertThat(ready(get(p[0], p[1]))).as(p[1]).isTrue();
              }
            });
    webIp = get("a", "web").getStatus().getPodIP();
    intruderIp = get("b", "intruder").getStatus().getPodIP();
  }

  @AfterAll
  static void stopCluster() {
    if (agent != null) {
      agent.close();
    }
    if (plane != null) {
      plane.close();
    }
    if (nodes != null) {
      nodes.nth(0).cleanUp(docker);
      nodes.nth(1).cleanUp(docker);
    }
  }

  @Test
  @Order(1)
  void ingressToWebOnlyFromClientOnItsPortThenFromNamespaceBByLabel() {
    // Without policies everyone reaches web.
    assertThat(fetch("a", "client", webIp, 8080)).isEqualTo("web");
    assertThat(fetch("b", "intruder", webIp, 8080)).isEqualTo("web");

    apply(webPolicy(""));
    assertThat(ok("get", "netpol", "-n", "a").stdout())
        .containsPattern("NAME +POD-SELECTOR +AGE")
        .containsPattern("web-ingress +app=web +\\d+s");
    // upstream's defaults: Ingress only (no egress rules), TCP
    assertThat(
            ok(
                    "get",
                    "netpol",
                    "web-ingress",
                    "-n",
                    "a",
                    "-o",
                    "jsonpath={.spec.policyTypes}/{.spec.ingress[0].ports[0].protocol}")
                .stdout())
        .isEqualTo("[\"Ingress\"]/TCP");
    assertThat(ok("describe", "netpol", "web-ingress", "-n", "a").stdout())
        .contains("PodSelector:     app=web", "Allowing ingress traffic:", "To Port: 8080/TCP");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(fetch("b", "intruder", webIp, 8080)).isEqualTo(TIMED_OUT));
    assertThat(fetch("a", "client", webIp, 8080)).isEqualTo("web");

    // Namespace b by its label: the intruder gets in.
    apply(webPolicy("    - namespaceSelector: {matchLabels: {team: b}}\n"));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(fetch("b", "intruder", webIp, 8080)).isEqualTo("web"));
  }

  @Test
  @Order(2)
  void rulesFollowPodAndNamespaceLabelChangesWithinASecond() {
    String clientIp = get("a", "client").getStatus().getPodIP();
    assertThat(mentions(clientIp)).isTrue();
    // client no longer matches the pod selector: its address leaves web's chain...
    ok("label", "pod", "client", "-n", "a", "app=gone", "--overwrite");
    assertThat(untilGone(clientIp)).isLessThan(Duration.ofSeconds(1));
    // ...and comes back with the label
    ok("label", "pod", "client", "-n", "a", "app=client", "--overwrite");
    await()
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> mentions(clientIp));

    // namespace b loses the label the policy selects it by: the intruder's address goes
    ok("label", "namespace", "b", "team-");
    assertThat(untilGone(intruderIp)).isLessThan(Duration.ofSeconds(1));
    assertThat(fetch("b", "intruder", webIp, 8080)).isEqualTo(TIMED_OUT);
  }

  /** Whether this host's rules name the address (only web's chain does). */
  private static boolean mentions(String ip) {
    return new Iptables().save().contains(" " + ip + "/32 ");
  }

  /** How long until the rules no longer name the address (at most 6 s). */
  private static Duration untilGone(String ip) {
    long start = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(6))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> !mentions(ip));
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Test
  @Order(3)
  void egressDefaultDenyInALeavesClientOnlyDnsOnceAllowed() {
    // The host (here the API server's port on client's bridge gateway) answers client before
    // the deny.
    String gateway =
        DockerExec.output(docker, get("a", "client"), "ip route")
            .replaceAll("(?s).*default via (\\S+).*", "$1")
            .trim();
    int host = plane.api.port();
    assertThat(reach("a", "client", gateway, host)).isEqualTo("answered");
    apply(
        """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: default-deny-egress, namespace: a}
        spec:
          podSelector: {}
          policyTypes: [Egress]
        """);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(fetch("a", "client", webIp, 8080)).isEqualTo(TIMED_OUT));
    assertThat(fetch("a", "client", intruderIp, 53)).isEqualTo(TIMED_OUT);
    // the node too: the policy chain is also jumped to from INPUT
    assertThat(reach("a", "client", gateway, host)).isEqualTo(TIMED_OUT);
    assertThat(new Iptables().save())
        .contains("-A INPUT -m comment --comment nauta-netpol -j " + names.prefix() + "-NETPOL");

    // Cluster DNS runs on the host: the fixture runs none, so the host's API server port stands
    // in for it, as the cluster DNS server writes its kube-dns Endpoints (its own port behind the
    // Service's 53). The usual kube-system allowance lets it through; a plain deny blocks it.
    apply(
        """
        apiVersion: v1
        kind: Endpoints
        metadata: {name: kube-dns, namespace: kube-system, labels: {k8s-app: kube-dns}}
        subsets:
        - addresses: [{ip: %s}]
          ports: [{name: dns-tcp, protocol: TCP, port: %d}]
        """
            .formatted(gateway, host));
    apply(
        """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: allow-cluster-dns, namespace: a}
        spec:
          podSelector: {}
          policyTypes: [Egress]
          egress:
          - to:
            - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
              podSelector: {matchLabels: {k8s-app: kube-dns}}
            ports:
            - {protocol: UDP, port: 53}
            - {protocol: TCP, port: 53}
        """);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(reach("a", "client", gateway, host)).isEqualTo("answered"));
    assertThat(fetch("a", "client", intruderIp, 53)).isEqualTo(TIMED_OUT);
    ok("delete", "netpol", "allow-cluster-dns", "-n", "a");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(reach("a", "client", gateway, host)).isEqualTo(TIMED_OUT));

    apply(
        """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: allow-dns, namespace: a}
        spec:
          podSelector: {}
          policyTypes: [Egress]
          egress:
          - ports:
            - {protocol: UDP, port: 53}
            - {protocol: TCP, port: 53}
        """);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(fetch("a", "client", intruderIp, 53)).isEqualTo("dns"));
    assertThat(fetch("a", "client", webIp, 8080)).isEqualTo(TIMED_OUT);
    assertThat(new Iptables().save()).contains("-p udp -m udp --dport 53 -j RETURN");
  }

  @Test
  @Order(4)
  void aBadPolicyIsRefusedWithUpstreamsMessageAndNothingStored() {
    Kubectl.Result r =
        kubectl.runWithInput(
            """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: bad, namespace: a}
            spec:
              podSelector: {}
              ingress:
              - from:
                - ipBlock: {cidr: 10.0.0.0/16, except: [10.1.0.0/24]}
                ports:
                - {port: 80, endPort: 79}
            """,
            "create",
            "-f",
            "-");
    assertThat(r.exitCode()).as(r.toString()).isNotZero();
    assertThat(r.stderr())
        .contains(
            "spec.ingress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal"
                + " to `port`",
            "spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: \"10.1.0.0/24\": must be a"
                + " strict subset of `cidr`");
    assertThat(kubectl.run("get", "netpol", "bad", "-n", "a").stderr()).contains("NotFound");
  }

  @Test
  @Order(5)
  void editWritesViewReadsAndNodesReadThemClusterWide() {
    ok("create", "rolebinding", "bob-view", "--clusterrole=view", "--user=bob", "-n", "a");
    ok("create", "rolebinding", "eve-edit", "--clusterrole=edit", "--user=eve", "-n", "a");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(canI("list", "networkpolicies", "-n", "a", "--as=bob")).isEqualTo("yes");
              assertThat(canI("create", "networkpolicies", "-n", "a", "--as=eve")).isEqualTo("yes");
            });
    assertThat(canI("create", "networkpolicies", "-n", "a", "--as=bob")).isEqualTo("no");
    String[] node = {"--as=system:node:n1", "--as-group=system:nodes"};
    for (String resource : List.of("networkpolicies", "namespaces", "pods")) {
      assertThat(canI("watch", resource, "-A", node[0], node[1])).as(resource).isEqualTo("yes");
    }
    assertThat(canI("create", "networkpolicies", "-n", "a", node[0], node[1])).isEqualTo("no");
  }

  @Test
  @Order(6)
  void aGracefulStopRemovesTheChainsAndTheForwardJump() {
    assertThat(new Iptables().save()).contains(names.prefix() + "-NETPOL");
    agent.close();
    agent = null;
    assertThat(new Iptables().save()).doesNotContain(names.prefix());
  }

  // --- helpers ---

  private static final String TIMED_OUT = "<timed out>";

  private static String webPolicy(String morePeers) {
    return """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: web-ingress, namespace: a}
        spec:
          podSelector: {matchLabels: {app: web}}
          ingress:
          - from:
            - podSelector: {matchLabels: {app: client}}
        %s    ports:
            - port: 8080
        """
        .formatted(morePeers);
  }

  private static String pod(String ns, String name, String app, int node, String script) {
    return """
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: %s, labels: {app: %s}}
        spec:
          nodeName: %s
          terminationGracePeriodSeconds: 0
          containers:
          - name: main
            image: nauta/busybox:local
            imagePullPolicy: IfNotPresent
            command: [sh, -c, '%s']
            ports:
            - {name: http, containerPort: 8080}
        """
        .formatted(name, ns, app, nodes.nth(node).name(), script);
  }

  /** What {@code ns/pod} gets from {@code http://ip:port/}, or {@link #TIMED_OUT}. */
  private static String fetch(String ns, String pod, String ip, int port) {
    String out =
        DockerExec.output(
                docker,
                get(ns, pod),
                "wget -q -T 2 -O - http://"
                    + ip
                    + ":"
                    + port
                    + "/ 2>/dev/null || echo '"
                    + TIMED_OUT
                    + "'")
            .trim();
    return out;
  }

  /**
   * Whether {@code ns/pod} gets any answer from {@code ip:port} (a refusal or a TLS server's
   * complaint too), or {@link #TIMED_OUT}.
   */
  private static String reach(String ns, String pod, String ip, int port) {
    return DockerExec.output(
            docker,
            get(ns, pod),
            "wget -q -T 2 -O /dev/null http://"
                + ip
                + ":"
                + port
                + "/ 2>&1 | grep -q 'timed out' && echo '"
                + TIMED_OUT
                + "' || echo answered")
        .trim();
  }

  private static Pod get(String ns, String name) {
    return plane
        .client
        .resource(BuiltInResources.PODS, Pod.class)
        .get(ns, name)
        .block(Duration.ofSeconds(10));
  }

  private static boolean ready(Pod p) {
    return p != null
        && p.getStatus() != null
        && p.getStatus().getPodIP() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static void apply(String yaml) {
    Kubectl.Result r = kubectl.runWithInput(yaml, "apply", "-f", "-");
    assertThat(r.exitCode()).as(r.toString()).isZero();
  }

  private static String canI(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of("auth", "can-i"));
    all.addAll(List.of(args));
    return kubectl.run(all.toArray(String[]::new)).stdout().trim();
  }

  private static Kubectl.Result ok(String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }
}
