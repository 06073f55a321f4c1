package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.ClientTransport;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * The agent of several simulated nodes, with the client certificate the cluster PKI makes for it
 * ({@code node-simulator.kubeconfig}), is classified by priority and fairness as a node, as
 * Kubernetes' bootstrap FlowSchemas classify {@code system:nodes}: its node and lease requests to
 * {@code node-high}, the rest to {@code system}, none to {@code global-default}. Yet it is no one
 * node: NodeRestriction lets it write several nodes.
 */
class NodeSimulatorFlowControlIT {

  private static TestApiServer server;
  private static ApiCalls admin;
  private static WebClient simulator;

  private record Answer(int status, HttpHeaders headers) {}

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
    admin = new ApiCalls(server);
    // The PKI's own kubeconfig of the simulator, at this server's address.
    ClientConfig made =
        ClientConfig.fromKubeconfig(server.pkiDir().resolve("node-simulator.kubeconfig"));
    ClientConfig config =
        new ClientConfig(
            server.url(),
            null,
            null,
            made.certificateAuthority(),
            made.clientCertificate(),
            made.clientKey(),
            false);
    simulator =
        WebClient.builder()
            .baseUrl(server.url())
            .clientConnector(new ReactorClientHttpConnector(ClientTransport.httpClient(config)))
            .build();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                admin.get("/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas/system-nodes").status()
                        == 200
                    && admin
                            .get(
                                "/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas/system-node-high")
                            .status()
                        == 200);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void itsNodeWritesAreNodeHighAndItsOtherRequestsSystemAsANodes() {
    String systemNodes = uid("flowschemas", "system-nodes");
    String nodeHigh = uid("flowschemas", "system-node-high");
    String system = uid("prioritylevelconfigurations", "system");
    String nodeHighLevel = uid("prioritylevelconfigurations", "node-high");
    String globalDefault = uid("prioritylevelconfigurations", "global-default");

    // Two nodes by one identity: NodeRestriction does not hold it to one node's objects.
    for (String node : new String[] {"sim-0", "sim-1"}) {
      Answer created = send("POST", "/api/v1/nodes", "{\"metadata\":{\"name\":\"" + node + "\"}}");
      assertThat(created.status()).isEqualTo(201);
      assertClassified(created, nodeHigh, nodeHighLevel);
    }
    Answer nodes = send("GET", "/api/v1/nodes", null);
    assertThat(nodes.status()).isEqualTo(200);
    assertClassified(nodes, nodeHigh, nodeHighLevel);

    Answer pods = send("GET", "/api/v1/pods", null);
    assertThat(pods.status()).isEqualTo(200);
    assertClassified(pods, systemNodes, system);
    assertThat(pods.headers().getFirst("X-Kubernetes-PF-PriorityLevel-UID"))
        .isNotEqualTo(globalDefault);
  }

  private static void assertClassified(Answer answer, String flowSchema, String priorityLevel) {
    assertThat(answer.headers().getFirst("X-Kubernetes-PF-FlowSchema-UID")).isEqualTo(flowSchema);
    assertThat(answer.headers().getFirst("X-Kubernetes-PF-PriorityLevel-UID"))
        .isEqualTo(priorityLevel);
  }

  private static Answer send(String method, String path, String body) {
    WebClient.RequestBodySpec request =
        simulator.method(org.springframework.http.HttpMethod.valueOf(method)).uri(path);
    WebClient.RequestHeadersSpec<?> ready =
        body == null ? request : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    return ready
        .exchangeToMono(
            r ->
                r.releaseBody()
                    .then(
                        Mono.just(new Answer(r.statusCode().value(), r.headers().asHttpHeaders()))))
        .block(Duration.ofSeconds(30));
  }

  private static String uid(String plural, String name) {
    String uid =
        admin
            .get("/apis/flowcontrol.apiserver.k8s.io/v1/" + plural + "/" + name)
            .body()
            .path("metadata")
            .path("uid")
            .asString();
    assertThat(uid).isNotEmpty();
    return uid;
  }
}
