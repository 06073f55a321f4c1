package io.nauta.federation.proxy;

import static io.nauta.federation.support.MemberRegistration.apply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.api.it.Kubectl;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.pki.CertificateAuthority;
import io.nauta.core.pki.CertificateRequest;
import io.nauta.core.pki.IssuedCertificate;
import io.nauta.core.pki.Kubeconfigs;
import io.nauta.core.pki.Pem;
import io.nauta.federation.support.MemberRegistration;
import io.nauta.federation.support.TestGateway;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster proxy with a real member (an API server on its own Redis database and PKI) and a real
 * gateway, driven by the real kubectl: {@code kubectl --server
 * https://<gateway>/apis/cluster.karmada.io/v1alpha1/clusters/usa-3/proxy get pods} as users of the
 * gateway, who need {@code clusters/proxy} there and are then whatever the member's RBAC lets them
 * be.
 */
class MemberProxyIT {

  private static final String CLUSTER = "usa-3";
  private static final String NS = "proxy-test";
  private static final int MEMBER_DB = 6;

  private static TestApiServer member;
  private static TestGateway gateway;
  private static Path dir;
  private static String proxyUrl;
  private static Kubectl memberAdmin;

  @BeforeAll
  static void start() throws IOException {
    dir = Files.createTempDirectory("member-proxy-it-");
    Path memberPki = Files.createDirectories(dir.resolve("member-pki"));
    member =
        TestApiServer.start(
            "nauta.redis.url=" + TestGateway.redisUrl(MEMBER_DB),
            "nauta.security.pki-dir=" + memberPki);
    gateway = TestGateway.start();
    proxyUrl = gateway.url() + MemberProxyHandler.PREFIX + CLUSTER + "/proxy";
    memberAdmin = new Kubectl(member.kubeconfig());

    // In the member: alice may read pods in one namespace; bob may do nothing.
    apply(
        memberAdmin,
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: %s}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: pod-reader, namespace: %s}
        rules:
        - {apiGroups: [""], resources: [pods, pods/log], verbs: [get, list, watch]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: alice-reads-pods, namespace: %s}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
        subjects:
        - {kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}
        """
            .formatted(NS, NS, NS));
    // The member registered in the gateway, and clusters/proxy on it for alice and bob.
    Kubectl gatewayAdmin = new Kubectl(gateway.kubeconfig());
    MemberRegistration.register(gatewayAdmin, member, CLUSTER, "us");
    apply(
        gatewayAdmin,
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: cluster-proxy}
        rules:
        - {apiGroups: [cluster.karmada.io], resources: [clusters/proxy], resourceNames: [usa-3], verbs: ["*"]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: cluster-proxy}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-proxy}
        subjects:
        - {kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}
        - {kind: User, name: bob, apiGroup: rbac.authorization.k8s.io}
        """);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (member != null) {
      member.close();
    }
  }

  @Test
  void listsAMembersPodsAsTheCaller() {
    String pod = createPod();
    Kubectl.Result result = gatewayUser("alice").run("--server", proxyUrl, "get", "pods", "-n", NS);
    assertThat(result.exitCode()).as(result.toString()).isZero();
    // A table (kubectl asks for one in its Accept header), from the member's own storage.
    assertThat(result.stdout()).contains("NAME", "STATUS").contains(pod);
  }

  @Test
  void aCallerWithoutRightsInTheMemberGetsTheMembersForbidden() {
    Kubectl.Result result = gatewayUser("bob").run("--server", proxyUrl, "get", "pods", "-n", NS);
    assertThat(result.exitCode()).isNotZero();
    // The member's 403, naming the impersonated caller, not the gateway's account.
    assertThat(result.stderr())
        .contains("Forbidden")
        .contains("User \"bob\" cannot list resource \"pods\"")
        .contains("namespace \"" + NS + "\"");
  }

  @Test
  void aCallerWithoutClustersProxyInTheGatewayIsRefusedThere() {
    Kubectl.Result result = gatewayUser("carol").run("--server", proxyUrl, "get", "pods", "-n", NS);
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr())
        .contains("User \"carol\" cannot")
        .contains("clusters/proxy")
        .contains("cluster.karmada.io");
  }

  @Test
  void anUnknownClusterIsNotFound() {
    gateway
        .client()
        .get()
        .uri(MemberProxyHandler.PREFIX + "nowhere/proxy/api/v1/namespaces")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.kind")
        .isEqualTo("Status")
        .jsonPath("$.reason")
        .isEqualTo("NotFound")
        .jsonPath("$.details.name")
        .isEqualTo("nowhere");
  }

  @Test
  void aWatchThroughTheProxyStreamsEventsAsTheyHappenAndEndsInTheMemberWithTheCaller()
      throws Exception {
    String before = createPod();
    double memberWatchesBefore = openPodWatchesInMember();
    Watch watch =
        Watch.start(
            gatewayUser("alice"),
            "--server",
            proxyUrl,
            "get",
            "pods",
            "-n",
            NS,
            "-w",
            "--no-headers");
    try {
      // The initial list arrives first; a pod made afterwards must then arrive as an event.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> watch.sawLineStartingWith(before + " ") || !watch.process.isAlive());
      assertThat(watch.process.isAlive())
          .as("kubectl -w through the proxy still runs: %s", watch.lines)
          .isTrue();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> openPodWatchesInMember() == memberWatchesBefore + 1);
      for (int i = 0; i < 3; i++) {
        String pod = createPod();
        long created = System.nanoTime();
        // No buffering on the way: the event reaches kubectl within a second of the create.
        await()
            .atMost(Duration.ofSeconds(1))
            .pollInterval(Duration.ofMillis(10))
            .until(() -> watch.sawLineStartingWith(pod + " "));
        assertThat(Duration.ofNanos(System.nanoTime() - created)).isLessThan(Duration.ofSeconds(1));
      }
    } finally {
      watch.close();
    }
    // The caller hung up: the gateway closed its watch in the member too.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> openPodWatchesInMember() == memberWatchesBefore);
  }

  @Test
  void aWatchOfACallerWithoutRightsInTheMemberGetsTheMembersForbidden() {
    Kubectl.Result result =
        gatewayUser("bob")
            .run("--server", proxyUrl, "get", "pods", "-n", NS, "-w", "--request-timeout=20s");
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr())
        .contains("Forbidden")
        .contains("User \"bob\" cannot")
        .contains("resource \"pods\"");
  }

  @Test
  void logsOfAPodGoThroughAsTheCaller() {
    // The member has no node agent: its answer about the unscheduled pod comes back as it is,
    // and for bob its 403. (Logs with output, followed: the Docker federation test.)
    String pod = createPod();
    Kubectl.Result alice =
        gatewayUser("alice")
            .run("--server", proxyUrl, "logs", pod, "-n", NS, "--request-timeout=20s");
    Kubectl.Result direct = memberAdmin.run("logs", pod, "-n", NS, "--request-timeout=20s");
    assertThat(alice.exitCode()).isEqualTo(direct.exitCode());
    assertThat(alice.stdout() + alice.stderr()).isEqualTo(direct.stdout() + direct.stderr());
    Kubectl.Result bob =
        gatewayUser("bob")
            .run("--server", proxyUrl, "logs", pod, "-n", NS, "--request-timeout=20s");
    assertThat(bob.exitCode()).isNotZero();
    // kubectl reads the pod first: the member refuses that already.
    assertThat(bob.stderr()).contains("User \"bob\" cannot get resource \"pods\"");
  }

  @Test
  void execThroughTheProxyIsRefusedSayingWhy() {
    String pod = createPod();
    Kubectl.Result result =
        gatewayUser("alice")
            .run(
                "--server", proxyUrl, "exec", pod, "-n", NS, "--request-timeout=20s", "--", "true");
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr())
        .contains("cannot forward a connection upgrade")
        .contains("do not serve exec, attach or port-forward");
  }

  @Test
  void queryStringsAndWritesPassThrough() {
    Kubectl alice = gatewayUser("alice");
    Kubectl.Result denied = alice.run("--server", proxyUrl, "create", "configmap", "c1", "-n", NS);
    // alice may not create configmaps in the member: its 403 for a write.
    assertThat(denied.stderr()).contains("cannot create resource \"configmaps\"");

    String pod = createPod();
    Kubectl.Result selected =
        alice.run(
            "--server", proxyUrl, "get", "pods", "-n", NS, "-l", "probe=" + pod, "-o", "name");
    assertThat(selected.exitCode()).as(selected.toString()).isZero();
    assertThat(selected.stdout().trim()).isEqualTo("pod/" + pod);
  }

  /** Open watches of pods the member serves (its watch cache's gauge). */
  private static double openPodWatchesInMember() {
    var gauge =
        member.bean(MeterRegistry.class).find("nauta.watch.open").tag("resource", "pods").gauge();
    return gauge == null ? 0 : gauge.value();
  }

  /** A running {@code kubectl} whose output lines are collected as they come. */
  private record Watch(Process process, List<String> lines, Thread reader)
      implements AutoCloseable {

    static Watch start(Kubectl kubectl, String... args) {
      Process process = kubectl.start(args);
      List<String> lines = new CopyOnWriteArrayList<>();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    lines.add(line);
                  }
                } catch (IOException e) {
                  // the process ended
                }
              });
      reader.setDaemon(true);
      reader.start();
      return new Watch(process, lines, reader);
    }

    boolean sawLineStartingWith(String prefix) {
      return lines.stream().anyMatch(l -> l.startsWith(prefix));
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      reader.join(5000);
    }
  }

  private static String createPod() {
    String name = "web-" + UUID.randomUUID().toString().substring(0, 8);
    apply(
        memberAdmin,
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: %s, labels: {probe: %s}}
        spec:
          containers:
          - {name: web, image: nauta/busybox:local}
        """
            .formatted(name, NS, name));
    return name;
  }

  /** kubectl as {@code user}, with a client certificate from the gateway's client CA. */
  private static Kubectl gatewayUser(String user) {
    Path pki = gateway.pkiDir();
    Path file = dir.resolve(user + ".kubeconfig");
    if (!Files.exists(file)) {
      IssuedCertificate cert =
          new CertificateAuthority(
                  Pem.parseCertificate(Pem.read(pki.resolve("client-ca.crt"))),
                  Pem.parsePrivateKey(Pem.read(pki.resolve("client-ca.key"))))
              .issue(CertificateRequest.client(user, List.of(), Duration.ofDays(1)), Instant.now());
      try {
        Files.writeString(
            file,
            Kubeconfigs.withClientCertificate(
                gateway.url(),
                Pem.read(pki.resolve("server-ca.crt")),
                Pem.certificate(cert.certificate()),
                Pem.privateKey(cert.key()),
                user));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return new Kubectl(file);
  }
}
