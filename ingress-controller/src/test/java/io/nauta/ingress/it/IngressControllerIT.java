package io.nauta.ingress.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ListOptions;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.pki.CertificateAuthority;
import io.nauta.core.pki.CertificateRequest;
import io.nauta.core.pki.IssuedCertificate;
import io.nauta.core.pki.Pem;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.ingress.NautaIngressController;
import io.nauta.ingress.app.IngressServerWork;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The ingress controller against a real API server (TLS, RBAC: it runs as {@code
 * nauta:ingress-controller} from its kubeconfig in the PKI), with backends that are real HTTP
 * servers on this machine registered as the Services' Endpoints, reached through the proxy by a
 * real HTTP client and by {@code curl}.
 */
class IngressControllerIT {

  private static final String NS = "ingress-it";
  private static final String HOST = "shop.example";
  private static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);

  private static TestApiServer api;
  private static ConfigurableApplicationContext controller;
  private static ResourceClient<Service> services;
  private static ResourceClient<Endpoints> endpoints;
  private static ResourceClient<Ingress> ingresses;
  private static ResourceClient<Secret> secrets;
  private static ResourceClient<Event> events;
  private static final List<Backend> backends = new ArrayList<>();
  private static Backend web;
  private static Backend api1;
  private static Backend api2;
  private static int http;
  private static int https;
  private static HttpClient client;
  // Endpoints may not be on loopback (Kubernetes' validation): the backends listen on this
  // machine's address on its default route, as pods' addresses are reachable from the node.
  private static String podAddress;

  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    api = TestApiServer.startOnEmptyRedis("server.shutdown=immediate");
    KubeClient admin = api.kubeClient();
    admin
        .resource(BuiltInResources.NAMESPACES, io.fabric8.kubernetes.api.model.Namespace.class)
        .create(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .block();
    services = admin.resource(BuiltInResources.SERVICES, Service.class);
    endpoints = admin.resource(BuiltInResources.ENDPOINTS, Endpoints.class);
    ingresses = admin.resource(BuiltInResources.INGRESSES, Ingress.class);
    secrets = admin.resource(BuiltInResources.SECRETS, Secret.class);
    events = admin.resource(BuiltInResources.EVENTS, Event.class);
    podAddress =
        io.nauta.core.net.AdvertiseAddress.choose("", "0.0.0.0")
            .orElseThrow(() -> new IllegalStateException("no IPv4 address on the default route"));
    web = backend("web-0");
    api1 = backend("api-0");
    api2 = backend("api-1");
    service("web", 80, "http");
    service("api", 8000, null);
    setEndpoints("web", "http", web);
    setEndpoints("api", null, api1, api2);
    service("flaky", 80, null);
    setEndpoints("flaky", null, closedPort(), web);
    // No class: the API server's default class nauta is given to it, the class this controller
    // serves.
    ingresses
        .create(
            new IngressBuilder()
                .withNewMetadata()
                .withNamespace(NS)
                .withName("shop")
                .endMetadata()
                .withNewSpec()
                .withRules(
                    new IngressRuleBuilder()
                        .withHost(HOST)
                        .withNewHttp()
                        .withPaths(
                            path("/", "Prefix", "web", null, "http"),
                            path("/api", "Prefix", "api", 8000, null),
                            path("/status", "Exact", "api", 8000, null),
                            path("/missing", "Prefix", "nowhere", 80, null),
                            path("/flaky", "Prefix", "flaky", 80, null))
                        .endHttp()
                        .build())
                .endSpec()
                .build())
        .block();
    controller =
        NautaIngressController.application()
            .run(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--nauta.ingress.kubeconfig="
                    + api.pkiDir().resolve("ingress-controller.kubeconfig"),
                "--nauta.ingress.address=127.0.0.1",
                "--nauta.ingress.http-port=0",
                "--nauta.ingress.https-port=0",
                "--nauta.ingress.status-address=127.0.0.1");
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(IngressControllerIT::running);
    IngressServerWork work = controller.getBean(IngressServerWork.class);
    http = work.httpPort();
    https = work.httpsPort();
    client = HttpClient.create().baseUrl("http://127.0.0.1:" + http);
  }

  private static boolean running() {
    try {
      controller.getBean(IngressServerWork.class).httpPort();
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  @AfterAll
  static void stop() {
    if (controller != null) {
      controller.close();
    }
    backends.forEach(Backend::close);
    if (api != null) {
      api.close();
    }
  }

  @Test
  void routesByHostAndPathAsTheIngressSpecSays() {
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> get(HOST, "/").status() == 200);
    Reply root = get(HOST, "/");
    assertThat(root.body()).startsWith("web-0 host=" + HOST + " path=/ xff=127.0.0.1 proto=http");
    assertThat(root.body()).endsWith("xhost=" + HOST);
    assertThat(get(HOST, "/api").body()).startsWith("api-");
    assertThat(get(HOST, "/api/orders?id=1").body())
        .startsWith("api-")
        .contains("path=/api/orders?id=1");
    assertThat(get(HOST, "/apix").body()).as("/api does not match /apix").startsWith("web-0");
    assertThat(get(HOST, "/status").body()).startsWith("api-");
    assertThat(get(HOST, "/status/x").body()).as("Exact").startsWith("web-0");
    assertThat(post(HOST, "/api/orders", "one order").body()).endsWith("body=one order");

    Reply unknown = get("unknown.example", "/");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body()).isEqualTo("404 page not found\n");
    assertThat(get(HOST, "/missing").status()).as("no such Service").isEqualTo(503);
  }

  @Test
  void writesTheAddressIntoTheStatusAndAnEventForAMissingService() {
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () ->
                assertThat(
                        ingresses
                            .get(NS, "shop")
                            .block()
                            .getStatus()
                            .getLoadBalancer()
                            .getIngress())
                    .singleElement()
                    .satisfies(i -> assertThat(i.getIp()).isEqualTo("127.0.0.1")));
    assertThat(awaitEvent("ServiceNotFound", "shop").getMessage()).contains(NS + "/nowhere");
  }

  /** An Ingress that moves to another class loses this controller's address from its status. */
  @Test
  void anIngressThatLeavesTheClassLosesTheAddress() {
    ingresses
        .create(
            new IngressBuilder()
                .withNewMetadata()
                .withNamespace(NS)
                .withName("moving")
                .endMetadata()
                .withNewSpec()
                .withRules(rule("moving.example", path("/", "Prefix", "web", null, "http")))
                .endSpec()
                .build())
        .block();
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> get("moving.example", "/").status() == 200);
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> address(ingresses.get(NS, "moving").block()) != null);

    ingresses
        .patch(
            NS,
            "moving",
            io.nauta.core.client.PatchType.MERGE,
            "{\"spec\":{\"ingressClassName\":\"elsewhere\"}}")
        .block();
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> address(ingresses.get(NS, "moving").block()) == null);
    assertThat(get("moving.example", "/").status()).isEqualTo(404);
    ingresses.delete(NS, "moving").block();
  }

  private static List<io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress>
      address(Ingress ing) {
    return ing.getStatus() == null
            || ing.getStatus().getLoadBalancer() == null
            || ing.getStatus().getLoadBalancer().getIngress() == null
            || ing.getStatus().getLoadBalancer().getIngress().isEmpty()
        ? null
        : ing.getStatus().getLoadBalancer().getIngress();
  }

  @Test
  void balancesRoundRobinAndFollowsTheReadyEndpointsWithinASecond() {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < 30; i++) {
      seen.merge(get(HOST, "/api/x").body().substring(0, 5), 1, Integer::sum);
    }
    assertThat(seen).containsOnlyKeys("api-0", "api-1");
    assertThat(seen.get("api-0")).isBetween(14, 16);

    setEndpoints("api", null);
    await()
        .atMost(WITHIN_A_SECOND)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> get(HOST, "/api/x").status() == 503);
    assertThat(get(HOST, "/api/x").body()).contains("no ready endpoint for " + NS + "/api");
    setEndpoints("api", null, api1, api2);
    await()
        .atMost(WITHIN_A_SECOND)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> get(HOST, "/api/x").status() == 200);

    Timer timer =
        controller
            .getBean(MeterRegistry.class)
            .find("nauta.ingress.requests")
            .tags("ingress", NS + "/shop", "service", NS + "/api", "status", "503")
            .timer();
    assertThat(timer).isNotNull();
    assertThat(timer.count()).isPositive();
  }

  /** One of two endpoints refuses connections: idempotent requests go on to the other. */
  @Test
  void retriesIdempotentRequestsOnAnotherEndpointWhenConnectingFails() {
    for (int i = 0; i < 10; i++) {
      assertThat(get(HOST, "/flaky").body()).startsWith("web-0");
    }
    List<Integer> posts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      posts.add(post(HOST, "/flaky", "x").status());
    }
    assertThat(posts).as("a POST is not retried").contains(502, 200);
  }

  @Test
  void passesWebSocketsThrough() {
    String echoed =
        HttpClient.create()
            .headers(h -> h.set("Host", HOST))
            .websocket()
            .uri("ws://127.0.0.1:" + http + "/ws")
            .handle(
                (in, out) ->
                    out.sendString(Mono.just("hello"))
                        .then()
                        .thenMany(in.receive().asString().take(1)))
            .blockFirst(Duration.ofSeconds(5));
    assertThat(echoed).isEqualTo("web-0:hello");
  }

  /**
   * A reader that stops after 1 MiB holds the backend back (back-pressure through the proxy, no
   * whole-body buffer), and the rest then streams through: 100 MiB arrive.
   */
  @Test
  void streamsALargeResponseWithoutBufferingIt() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", http)) {
      socket.setReceiveBufferSize(64 * 1024);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /big HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String head = readHead(in);
      assertThat(head)
          .startsWith("HTTP/1.1 200")
          .containsIgnoringCase("content-length: " + Backend.BIG);
      long read = skip(in, 1024 * 1024);
      long[] last = {-1};
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                long now = web.bigProduced.get();
                boolean stable = now == last[0];
                last[0] = now;
                return stable;
              });
      assertThat(web.bigProduced.get())
          .as("produced by the backend while the client reads nothing")
          .isLessThan(40L * 1024 * 1024);
      System.gc();
      Runtime rt = Runtime.getRuntime();
      long used = rt.totalMemory() - rt.freeMemory();
      read += skip(in, Backend.BIG - read);
      assertThat(read).isEqualTo(Backend.BIG);
      System.gc();
      assertThat(rt.totalMemory() - rt.freeMemory() - used).isLessThan(50L * 1024 * 1024);
    }
  }

  @Test
  void servesTlsBySniWithTheIngressSecretAndFollowsRotation() throws Exception {
    Path ca1 = tmp.resolve("ca1.pem");
    Path ca2 = tmp.resolve("ca2.pem");
    secrets.create(tlsSecret("shop-tls", ca1)).block();
    ingresses
        .create(
            new IngressBuilder()
                .withNewMetadata()
                .withNamespace(NS)
                .withName("secure")
                .endMetadata()
                .withNewSpec()
                .addNewTl()
                .withHosts("secure.example")
                .withSecretName("shop-tls")
                .endTl()
                .addNewTl()
                .withHosts("broken.example")
                .withSecretName("no-such-secret")
                .endTl()
                .withRules(
                    rule("secure.example", path("/", "Prefix", "web", null, "http")),
                    rule("broken.example", path("/", "Prefix", "web", null, "http")))
                .endSpec()
                .build())
        .block();
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> assertThat(curl("secure.example", ca1, "--http1.1")).startsWith("200 1.1 web-0"));
    assertThat(curl("secure.example", ca1, "--http2"))
        .as("HTTP/2 by ALPN")
        .startsWith("200 2 web-0");
    assertThat(curl("secure.example", ca1, "--http1.1")).contains("proto=https");

    Secret current = secrets.get(NS, "shop-tls").block();
    Secret rotated = tlsSecret("shop-tls", ca2);
    rotated.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
    secrets.update(rotated).block();
    await()
        .atMost(WITHIN_A_SECOND)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> curl("secure.example", ca2, "--http1.1").startsWith("200 1.1 web-0"));
    assertThat(curl("secure.example", ca1, "--http1.1"))
        .as("the old CA no longer")
        .startsWith("000");

    String fallback = curlInsecure("broken.example");
    assertThat(fallback).contains("Nauta Ingress Controller Fake Certificate");
    assertThat(awaitEvent("BadTLSSecret", "secure").getMessage()).contains("no-such-secret");
  }

  // --- helpers ---

  /** The Warning Event {@code reason} about the Ingress {@code name}, once it is there. */
  private static Event awaitEvent(String reason, String name) {
    return await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                events.list(NS, ListOptions.none()).block().items().stream()
                    .filter(e -> reason.equals(e.getReason()) && "Warning".equals(e.getType()))
                    .filter(e -> name.equals(e.getInvolvedObject().getName()))
                    .findFirst()
                    .orElse(null),
            java.util.Objects::nonNull);
  }

  private record Reply(int status, String body) {}

  private static Reply get(String host, String path) {
    return exchange(host, HttpMethod.GET, path, Flux.empty());
  }

  private static Reply post(String host, String path, String text) {
    return exchange(host, HttpMethod.POST, path, Flux.just(text));
  }

  private static Reply exchange(String host, HttpMethod method, String path, Flux<String> body) {
    return client
        .headers(h -> h.set("Host", host))
        .request(method)
        .uri(path)
        .send(reactor.netty.ByteBufFlux.fromString(body))
        .responseSingle(
            (r, b) -> b.asString().defaultIfEmpty("").map(t -> new Reply(r.status().code(), t)))
        .block(Duration.ofSeconds(5));
  }

  /** A backend whose port refuses connections: bound, then closed. */
  private static Backend closedPort() {
    Backend b = new Backend("closed", podAddress);
    b.close();
    return b;
  }

  private static Backend backend(String name) {
    Backend b = new Backend(name, podAddress);
    backends.add(b);
    return b;
  }

  private static void service(String name, int port, String portName) {
    services
        .create(
            new ServiceBuilder()
                .withNewMetadata()
                .withNamespace(NS)
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withPorts(
                    new ServicePortBuilder()
                        .withName(portName)
                        .withPort(port)
                        .withTargetPort(new IntOrString(8080))
                        .build())
                .endSpec()
                .build())
        .block();
  }

  /** One subset per backend: they share one address, on ports of their own. */
  private static void setEndpoints(String name, String portName, Backend... ready) {
    List<EndpointSubset> subsets = new ArrayList<>();
    for (Backend b : ready) {
      subsets.add(
          new EndpointSubsetBuilder()
              .withAddresses(new EndpointAddressBuilder().withIp(podAddress).build())
              .withPorts(new EndpointPortBuilder().withName(portName).withPort(b.port()).build())
              .build());
    }
    Endpoints current = endpoints.get(NS, name).onErrorResume(e -> Mono.empty()).block();
    if (current == null) {
      endpoints
          .create(
              new EndpointsBuilder()
                  .withNewMetadata()
                  .withNamespace(NS)
                  .withName(name)
                  .endMetadata()
                  .withSubsets(subsets)
                  .build())
          .block();
    } else {
      endpoints.update(new EndpointsBuilder(current).withSubsets(subsets).build()).block();
    }
  }

  private static io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath path(
      String path, String type, String service, Integer number, String portName) {
    return new HTTPIngressPathBuilder()
        .withPath(path)
        .withPathType(type)
        .withNewBackend()
        .withNewService()
        .withName(service)
        .withNewPort()
        .withNumber(number)
        .withName(portName)
        .endPort()
        .endService()
        .endBackend()
        .build();
  }

  private static io.fabric8.kubernetes.api.model.networking.v1.IngressRule rule(
      String host, io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath path) {
    return new IngressRuleBuilder().withHost(host).withNewHttp().withPaths(path).endHttp().build();
  }

  /**
   * A kubernetes.io/tls Secret for secure.example from a new CA, whose certificate goes to {@code
   * caFile}.
   */
  private static Secret tlsSecret(String name, Path caFile) throws IOException {
    Instant now = Instant.now();
    CertificateAuthority ca = CertificateAuthority.create("ingress-it-ca", Duration.ofDays(1), now);
    IssuedCertificate cert =
        ca.issue(
            CertificateRequest.server(
                "secure.example", List.of("secure.example"), Duration.ofDays(1)),
            now);
    Files.writeString(caFile, Pem.certificate(ca.certificate()));
    Base64.Encoder b64 = Base64.getEncoder();
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(NS)
        .withName(name)
        .endMetadata()
        .withType("kubernetes.io/tls")
        .addToData(
            "tls.crt",
            b64.encodeToString(
                Pem.certificate(cert.certificate()).getBytes(StandardCharsets.UTF_8)))
        .addToData(
            "tls.key",
            b64.encodeToString(Pem.privateKey(cert.key()).getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  /** {@code curl --resolve … --cacert}: "status http_version body", status 000 on a TLS failure. */
  private static String curl(String host, Path ca, String version) throws Exception {
    String out =
        run(
            "curl",
            "-s",
            version,
            "--max-time",
            "5",
            "--resolve",
            host + ":" + https + ":127.0.0.1",
            "--cacert",
            ca.toString(),
            "-w",
            "\n%{http_code} %{http_version}",
            "https://" + host + ":" + https + "/");
    int nl = out.lastIndexOf('\n');
    return out.substring(nl + 1) + " " + out.substring(0, Math.max(nl, 0));
  }

  private static String curlInsecure(String host) throws Exception {
    return run(
        "curl",
        "-sk",
        "-v",
        "--max-time",
        "5",
        "--resolve",
        host + ":" + https + ":127.0.0.1",
        "https://" + host + ":" + https + "/");
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      head.append((char) c);
    }
    return head.toString();
  }

  private static long skip(InputStream in, long n) throws IOException {
    byte[] buf = new byte[256 * 1024];
    long total = 0;
    while (total < n) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n - total));
      if (r < 0) {
        break;
      }
      total += r;
    }
    return total;
  }
}
