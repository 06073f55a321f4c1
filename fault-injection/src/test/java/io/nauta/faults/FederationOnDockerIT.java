package io.nauta.faults;

import static io.nauta.faults.Federation.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.it.Kubectl;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A federation whose members run real containers on this machine's one Docker engine: {@code
 * deploy/nauta up --federation 2 --runtime docker} (usa-3 and asia-2, one node each, and the
 * gateway). A Deployment placed at the gateway runs as containers in both members; its logs come
 * through the gateway's cluster proxy; a service exported from usa-3 answers a pod in asia-2 at the
 * imported cluster IP (the members' pod networks are separate Docker bridges, which their agents
 * let meet); a pod in usa-3 resolves services, a headless set and a pod's hostname through the
 * cluster DNS and reaches a service by its short name; and {@code deploy/nauta down} leaves no
 * container, network or iptables chain behind. The steps build on each other in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FederationOnDockerIT {

  private static final String USA = "usa-3";
  private static final String ASIA = "asia-2";
  private static final List<String> NODES = List.of(USA + "-node-0", ASIA + "-node-0");
  private static final Duration PROPAGATION = Duration.ofSeconds(90);

  /**
   * busybox's httpd answering with the pod's name, and saying it serves first (what the logs show);
   * {@code -v} logs every request, so a followed log grows.
   */
  private static final String WEB =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: default}
      spec:
        replicas: 1
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            terminationGracePeriodSeconds: 1
            containers:
            - name: web
              image: nauta/busybox:local
              command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && echo serving $(hostname) && exec httpd -f -v -p 8080 -h /www"]
              ports: [{name: http, containerPort: 8080}]
      ---
      apiVersion: policy.karmada.io/v1alpha1
      kind: PropagationPolicy
      metadata: {name: web, namespace: default}
      spec:
        resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
        placement:
          clusterAffinity: {clusterNames: [usa-3, asia-2]}
          replicaScheduling: {replicaSchedulingType: Duplicated}
      """;

  private static Federation federation;
  private static Path dir;
  private static long startedAt;

  /** Set once down left nothing behind: the run's directory (its logs) is then removed. */
  private static boolean clean;

  @BeforeAll
  static void up() throws IOException {
    dir = Files.createTempDirectory("federation-docker-");
    startedAt = System.nanoTime();
    federation =
        Federation.up(
            ExecJars.root(),
            dir.resolve("home"),
            Duration.ofMinutes(10),
            2,
            "docker",
            Map.of("NAUTA_JAVA_OPTS", ShortLivedJvms.javaOpts()));
    System.out.println("[federation-docker] up in " + seconds(startedAt));
  }

  @AfterAll
  static void down() {
    if (federation != null) {
      federation.close();
    }
    System.out.println("[federation-docker] whole class in " + seconds(startedAt));
    if (clean) {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a temporary directory left behind
      }
    }
  }

  @Test
  @Order(1)
  void aDeploymentPlacedAtTheGatewayRunsAsContainersInBothMembers() {
    assertOk(federation.applyIn("gateway", WEB));
    for (String member : List.of(USA, ASIA)) {
      await(member + "'s web pod Running")
          .atMost(PROPAGATION)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> !runningPod(member).isEmpty());
      String pod = runningPod(member);
      // A real container: Docker runs it, labelled with the member's node and the pod.
      String containers =
          docker(
              "ps",
              "--filter",
              "label=io.nauta.node=" + member + "-node-0",
              "--filter",
              "label=io.nauta.pod.name=" + pod,
              "--filter",
              "label=io.nauta.container.name=web",
              "--format",
              "{{.Image}} {{.Status}}");
      assertThat(containers).as(member).startsWith("nauta/busybox:local Up");
      // On the member's own bridge and pod range.
      assertThat(federation.jsonpath(member, "default", "pod/" + pod, ".status.podIP"))
          .startsWith(USA.equals(member) ? "10.244.0." : "10.245.0.");
    }
    // Each member's agent owns its chains, and lets the other member's pods in.
    String saved = iptablesSave();
    assertThat(saved)
        .contains(":" + chainPrefix(NODES.get(0)) + "-FORWARD")
        .contains(":" + chainPrefix(NODES.get(1)) + "-FORWARD")
        .contains(
            "-A "
                + chainPrefix(NODES.get(1))
                + "-FORWARD -s 10.244.0.0/16 -d 10.245.0.0/16 -j ACCEPT");
  }

  @Test
  @Order(2)
  void kubectlLogsAndLogsFollowThroughTheGatewaysClusterProxy() throws Exception {
    String pod = runningPod(USA);
    Kubectl viaGateway = federation.kubectl();
    String proxy =
        "--server="
            + federation.gatewayUrl()
            + "/apis/cluster.karmada.io/v1alpha1/clusters/"
            + USA
            + "/proxy";
    await("the container's output through the proxy")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              Kubectl.Result logs = viaGateway.run(proxy, "-n", "default", "logs", pod);
              assertOk(logs);
              assertThat(logs.stdout()).contains("serving " + pod);
            });

    Process follow = viaGateway.start(proxy, "-n", "default", "logs", "-f", pod);
    try {
      StringBuffer seen = new StringBuffer();
      Thread reader = new Thread(() -> copy(follow, seen), "logs-follow");
      reader.setDaemon(true);
      reader.start();
      await("logs -f shows what was logged")
          .atMost(Duration.ofSeconds(30))
          .until(() -> seen.toString().contains("serving " + pod));
      // A request to the pod (the host reaches its bridge) is logged while we follow.
      String podIp = federation.jsonpath(USA, "default", "pod/" + pod, ".status.podIP");
      HttpResponse<String> answer =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://" + podIp + ":8080/"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(answer.body().trim()).isEqualTo(pod);
      await("logs -f shows what is logged now")
          .atMost(Duration.ofSeconds(30))
          .until(() -> seen.toString().contains("response:200"));
      assertThat(follow.isAlive()).as("logs -f still follows").isTrue();
    } finally {
      follow.destroy();
      follow.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(3)
  void aPodInAsiaReachesTheServiceExportedFromUsaAtItsImportedClusterIp() {
    String usaPod = runningPod(USA);
    assertOk(
        federation.applyIn(
            USA,
            """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: default}
            spec:
              selector: {app: web}
              ports: [{name: http, port: 80, targetPort: http}]
            ---
            apiVersion: multicluster.x-k8s.io/v1alpha1
            kind: ServiceExport
            metadata: {name: web, namespace: default}
            """));
    String[] ip = new String[1];
    await("asia-2 imports web with its usa-3 endpoint")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              ip[0] = federation.jsonpath(ASIA, "default", "serviceimport/web", ".spec.ips[0]");
              String endpoints =
                  federation.jsonpath(
                      ASIA, "default", "endpoints/derived-web", ".subsets[*].addresses[*].ip");
              return ip[0].startsWith("10.97.") && endpoints.startsWith("10.244.0.");
            });
    // asia-2's own web pod is not behind the import: the answer names usa-3's.
    assertOk(
        federation.applyIn(
            ASIA,
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: client, namespace: default}
            spec:
              restartPolicy: Never
              terminationGracePeriodSeconds: 1
              containers:
              - name: curl
                image: nauta/curl:local
                command: ["sh", "-c", "for i in $(seq 30); do curl -sS -m 2 http://%s/ && exit 0; sleep 1; done; exit 1"]
            """
                .formatted(ip[0])));
    await("the client in asia-2 finishes")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                List.of("Succeeded", "Failed")
                    .contains(federation.jsonpath(ASIA, "default", "pod/client", ".status.phase")));
    Kubectl.Result logs = federation.in(ASIA, "-n", "default", "logs", "client");
    assertOk(logs);
    assertThat(federation.jsonpath(ASIA, "default", "pod/client", ".status.phase"))
        .as(logs.stdout())
        .isEqualTo("Succeeded");
    assertThat(logs.stdout().trim()).isEqualTo(usaPod);
  }

  /**
   * Issue 18's cluster DNS from a real pod in usa-3, as {@code deploy/nauta up} wires it: the
   * agent's resolver settings, queries to the kube-dns Service's IP DNATed by the agent's service
   * proxy to the cluster DNS on this host, and the service proxy again for the answer's cluster IP.
   */
  @Test
  @Order(4)
  void aPodResolvesServicesHeadlessSetsAndPodNamesThroughTheClusterDns() {
    long start = System.nanoTime();
    // Beside the web Deployment and Service of the steps before, in default.
    String ns = "default";
    assertOk(federation.applyIn(USA, dnsWorkload(ns)));
    await("the client, db-0 and db-1 ready")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () ->
                federation
                    .in(
                        USA,
                        "-n",
                        ns,
                        "get",
                        "pods",
                        "-l",
                        "app in (db, client)",
                        "-o",
                        "jsonpath={.items[*].status.containerStatuses[*].ready}")
                    .stdout()
                    .trim()
                    .equals("true true true"));
    String client = container(USA, ns, "client", "sh");
    String zone = "." + ns + ".svc.cluster.local";
    String webIp = federation.jsonpath(USA, ns, "service/web", ".spec.clusterIP");
    String db0 = federation.jsonpath(USA, ns, "pod/db-0", ".status.podIP");
    String db1 = federation.jsonpath(USA, ns, "pod/db-1", ".status.podIP");
    String kubeDns = federation.jsonpath(USA, "kube-system", "service/kube-dns", ".spec.clusterIP");

    // What the agent writes, as the kubelet: Kubernetes' search list, the kube-dns Service's IP
    // (not Docker's embedded resolver, which would answer container names first) and ndots.
    assertThat(podExec(client, "cat /etc/resolv.conf"))
        .isEqualTo(
            "search "
                + ns
                + ".svc.cluster.local svc.cluster.local cluster.local\nnameserver "
                + kubeDns
                + "\noptions ndots:5");
    // Through the pod's resolver, and straight to the kube-dns Service (the agent's DNAT).
    assertThat(podExec(client, "nslookup web" + zone)).contains("Address: " + webIp);
    assertThat(podExec(client, "nslookup web" + zone + " " + kubeDns))
        .contains("Server:\t\t" + kubeDns)
        .contains("Address: " + webIp);
    // A headless service: the ready pods; a pod by hostname.subdomain; an unknown name.
    assertThat(addresses(podExec(client, "nslookup db" + zone))).containsOnly(db0, db1);
    assertThat(addresses(podExec(client, "nslookup db-0.db" + zone))).containsOnly(db0);
    assertThat(podExec(client, "nslookup nothing" + zone + "; echo exit=$?"))
        .contains("NXDOMAIN")
        .contains("exit=1");
    // By the short name through the search list, to the service's port 80 (busybox's wget, -T
    // included: the image's wget takes it without crashing).
    assertThat(podExec(client, "wget -T 5 -qO- http://web")).isEqualTo(runningPod(USA));

    // The record set follows the endpoints: db-1 gone, only db-0 answers.
    assertOk(federation.in(USA, "-n", ns, "delete", "pod", "db-1", "--wait=false"));
    long deleted = System.nanoTime();
    await("db answers only db-0")
        .atMost(Duration.ofSeconds(3))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> addresses(podExec(client, "nslookup db" + zone)).equals(List.of(db0)));
    System.out.println(
        "[federation-docker] headless record set followed a deleted pod in "
            + seconds(deleted)
            + "; DNS checks in "
            + seconds(start));
  }

  /** A headless service db, its pods db-0 and db-1 (hostname and subdomain set), a client. */
  private static String dnsWorkload(String ns) {
    StringBuilder yaml =
        new StringBuilder(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: db, namespace: %s}
            spec:
              clusterIP: None
              selector: {app: db}
              ports: [{name: db, port: 5432}]
            """
                .formatted(ns));
    for (String pod : List.of("db-0", "db-1", "client")) {
      String labels = pod.startsWith("db-") ? "{app: db}" : "{app: client}";
      String names = pod.startsWith("db-") ? "hostname: " + pod + "\n  subdomain: db\n  " : "";
      yaml.append(
          """
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: %s, namespace: %s, labels: %s}
          spec:
            %sterminationGracePeriodSeconds: 0
            containers: [{name: sh, image: nauta/busybox:local, command: ["sleep", "3600"]}]
          """
              .formatted(pod, ns, labels, names));
    }
    return yaml.toString();
  }

  @Test
  @Order(5)
  void downLeavesNoContainerNetworkOrIptablesChainBehind() {
    long start = System.nanoTime();
    federation.close();
    federation = null;
    System.out.println("[federation-docker] down in " + seconds(start));
    for (String node : NODES) {
      for (String kind : List.of("ps -a", "network ls", "volume ls")) {
        List<String> args = new java.util.ArrayList<>(List.of(kind.split(" ")));
        args.addAll(List.of("-q", "--filter", "label=io.nauta.node=" + node));
        assertThat(docker(args.toArray(String[]::new))).as(kind + " of " + node).isBlank();
      }
    }
    String saved = iptablesSave();
    for (String node : NODES) {
      assertThat(saved).as("iptables of " + node).doesNotContain(chainPrefix(node) + "-");
    }
    clean = true;
  }

  /** The name of the member's web pod once it runs, else empty. */
  private static String runningPod(String member) {
    Kubectl.Result r =
        federation.in(
            member,
            "-n",
            "default",
            "get",
            "pods",
            "-l",
            "app=web",
            "--field-selector=status.phase=Running",
            "-o",
            "jsonpath={.items[*].metadata.name}");
    return r.exitCode() == 0 ? r.stdout().trim() : "";
  }

  /** The id of a pod's container on the member's node. */
  private static String container(String member, String ns, String pod, String name) {
    return docker(
        "ps",
        "-q",
        "--filter",
        "label=io.nauta.node=" + member + "-node-0",
        "--filter",
        "label=io.nauta.pod.namespace=" + ns,
        "--filter",
        "label=io.nauta.pod.name=" + pod,
        "--filter",
        "label=io.nauta.container.name=" + name);
  }

  /** What a shell script in the container prints (stdout and stderr), whatever its exit code. */
  private static String podExec(String container, String script) {
    return docker("exec", container, "sh", "-c", script + "\ntrue");
  }

  /** The A records busybox's nslookup printed (after its "Server"/"Address" header), sorted. */
  private static List<String> addresses(String nslookup) {
    return nslookup
        .lines()
        .dropWhile(l -> !l.startsWith("Name:"))
        .filter(l -> l.startsWith("Address: "))
        .map(l -> l.substring("Address: ".length()).trim())
        .distinct()
        .sorted()
        .toList();
  }

  /** The agent's chain prefix of one node (the node agent's ChainNames.forNodes). */
  private static String chainPrefix(String node) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(node.getBytes(StandardCharsets.UTF_8));
      return "NAUTA-" + HexFormat.of().formatHex(digest).substring(0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void copy(Process p, StringBuffer into) {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        into.append(line).append('\n');
      }
    } catch (IOException e) {
      // the process was stopped
    }
  }

  private static String iptablesSave() {
    return exec("iptables-save");
  }

  private static String docker(String... args) {
    List<String> command = new java.util.ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    return exec(command.toArray(String[]::new));
  }

  private static String exec(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
      return out.trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String seconds(long since) {
    return (System.nanoTime() - since) / 1_000_000 / 1000.0 + " s";
  }
}
