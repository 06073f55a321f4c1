package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nauta.api.support.TestApiServer;
import io.nauta.api.support.TestCsrs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code certificates.k8s.io/v1} CertificateSigningRequests on a real API server with security on:
 * the server records the requester, validates the request as Kubernetes does, keeps the spec, and
 * lets only the {@code approval} subresource change Approved/Denied, for callers who may {@code
 * approve} for the signer.
 */
class CertificateSigningRequestIT {

  private static final String CSRS = "/apis/certificates.k8s.io/v1/certificatesigningrequests";
  private static final String CLIENT = "kubernetes.io/kube-apiserver-client";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path dir;
  private static TestApiServer server;
  private static WebTestClient admin;
  private static Kubectl kubectl;

  @BeforeAll
  static void start() {
    server =
        TestApiServer.startOnEmptyRedis(
            "nauta.security.enabled=true", "nauta.security.pki-dir=" + dir.resolve("pki"));
    admin = server.client();
    kubectl = new Kubectl(server.pkiDir().resolve("admin.kubeconfig"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static ObjectNode csr(String name, String signer, List<String> usages) {
    return (ObjectNode) JSON.readTree(TestCsrs.of(name).manifest(name, signer, usages));
  }

  private static ObjectNode clientCsr(String name) {
    return csr(name, CLIENT, List.of("client auth"));
  }

  private static JsonNode create(ObjectNode csr) {
    return post(csr, 201);
  }

  private static JsonNode refused(ObjectNode csr) {
    return post(csr, 422);
  }

  /** POSTs {@code csr} as the admin, expects {@code status}, and answers the response body. */
  private static JsonNode post(ObjectNode csr, int status) {
    byte[] body =
        admin
            .post()
            .uri(CSRS)
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(csr.toString())
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody()
            .returnResult()
            .getResponseBody();
    return JSON.readTree(body);
  }

  private static WebTestClient.ResponseSpec put(String path, JsonNode body, String asUser) {
    return admin
        .put()
        .uri(path)
        .headers(
            h -> {
              if (asUser != null) {
                h.set("Impersonate-User", asUser);
              }
            })
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body.toString())
        .exchange();
  }

  private static JsonNode get(String name) {
    return JSON.readTree(
        admin
            .get()
            .uri(CSRS + "/" + name)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody());
  }

  private static ObjectNode withConditions(JsonNode stored, String... types) {
    ObjectNode copy = (ObjectNode) stored.deepCopy();
    ArrayNode conditions = copy.withObject("/status").putArray("conditions");
    for (String type : types) {
      conditions
          .addObject()
          .put("type", type)
          .put("status", "True")
          .put("reason", "ByTest")
          .put("message", "set by the test");
    }
    return copy;
  }

  @Test
  void theServerRecordsWhoAskedAndNeverTakesItFromTheBody() {
    ObjectNode body = clientCsr("recorded");
    ObjectNode spec = (ObjectNode) body.get("spec");
    spec.put("username", "mallory").put("uid", "forged");
    spec.putArray("groups").add("system:masters");
    body.set("status", withConditions(body, "Approved").get("status"));

    JsonNode created = create(body);

    assertThat(created.at("/spec/username").asString()).isEqualTo("nauta-admin");
    assertThat(created.at("/spec/uid").isMissingNode()).isTrue();
    assertThat(JSON.convertValue(created.at("/spec/groups"), List.class))
        .containsExactlyInAnyOrder("system:masters", "system:authenticated");
    assertThat(created.at("/status/conditions").isMissingNode()).isTrue();
  }

  @Test
  void requestsAreValidatedAsKubernetesValidatesThem() {
    ObjectNode notPem = clientCsr("not-pem");
    ((ObjectNode) notPem.get("spec"))
        .put(
            "request",
            Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.UTF_8)));
    assertThat(refused(notPem).at("/details/causes/0/message").asString())
        .contains("PEM block type must be CERTIFICATE REQUEST");
    assertThat(refused(notPem).at("/details/causes/0/field").asString()).isEqualTo("spec.request");

    JsonNode badSigner = refused(csr("bad-signer", "no-slash", List.of("client auth")));
    assertThat(badSigner.path("message").asString())
        .contains(
            "spec.signerName: Invalid value: \"no-slash\": must be a fully qualified domain and"
                + " path of the form 'example.com/signer-name'");

    JsonNode noSigner = refused(csr("no-signer", "", List.of("client auth")));
    assertThat(noSigner.path("message").asString()).contains("spec.signerName: Required value");

    ObjectNode shortLived = clientCsr("short");
    ((ObjectNode) shortLived.get("spec")).put("expirationSeconds", 599);
    assertThat(refused(shortLived).path("message").asString())
        .contains(
            "spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 600"
                + " seconds (10 minutes)");

    JsonNode noUsages = refused(csr("no-usages", CLIENT, List.of()));
    assertThat(noUsages.path("message").asString()).contains("spec.usages: Required value");
    JsonNode unknownUsage = refused(csr("odd-usage", CLIENT, List.of("client auth", "flying")));
    assertThat(unknownUsage.path("message").asString())
        .contains("spec.usages[1]: Unsupported value: \"flying\"");

    ObjectNode ok = clientCsr("ten-minutes");
    ((ObjectNode) ok.get("spec")).put("expirationSeconds", 600);
    assertThat(create(ok).at("/spec/expirationSeconds").asInt()).isEqualTo(600);
  }

  @Test
  void aClientCertificateForSystemMastersIsRefused() {
    ObjectNode masters =
        (ObjectNode)
            JSON.readTree(
                TestCsrs.of("root", "system:masters")
                    .manifest("root", CLIENT, List.of("client auth")));

    JsonNode refused = post(masters, 403);

    assertThat(refused.path("message").asString())
        .isEqualTo(
            "certificatesigningrequests.certificates.k8s.io \"root\" is forbidden: use of "
                + CLIENT
                + " signer with system:masters group is not allowed");
  }

  @Test
  void anUpdateKeepsTheSpecAsCreated() {
    JsonNode created = create(clientCsr("kept"));
    ObjectNode changed = (ObjectNode) created.deepCopy();
    ((ObjectNode) changed.get("spec")).put("signerName", "example.com/other");
    changed.withObject("/metadata").withObject("/labels").put("team", "a");

    put(CSRS + "/kept", changed, null).expectStatus().isOk();

    JsonNode stored = get("kept");
    assertThat(stored.at("/spec/signerName").asString()).isEqualTo(CLIENT);
    assertThat(stored.at("/metadata/labels/team").asString()).isEqualTo("a");
  }

  @Test
  void approvalTakesOnlyTheConditionsAndRefusesApprovedWithDenied() {
    JsonNode created = create(clientCsr("approve-me"));

    JsonNode both =
        JSON.readTree(
            put(CSRS + "/approve-me/approval", withConditions(created, "Approved", "Denied"), null)
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .returnResult()
                .getResponseBody());
    assertThat(both.path("message").asString())
        .contains(
            "status.conditions[1].type: Invalid value: \"Denied\": Approved and Denied conditions"
                + " are mutually exclusive");

    ObjectNode approve = withConditions(created, "Approved");
    ((ObjectNode) approve.get("spec")).put("signerName", "example.com/other");
    approve.withObject("/status").put("certificate", "Zm9v");
    put(CSRS + "/approve-me/approval", approve, null).expectStatus().isOk();

    JsonNode stored = get("approve-me");
    assertThat(stored.at("/status/conditions/0/type").asString()).isEqualTo("Approved");
    assertThat(stored.at("/status/conditions/0/lastUpdateTime").asString()).isNotEmpty();
    assertThat(stored.at("/status/conditions/0/lastTransitionTime").asString()).isNotEmpty();
    assertThat(stored.at("/spec/signerName").asString()).isEqualTo(CLIENT);
    assertThat(stored.at("/status/certificate").isMissingNode()).isTrue();
  }

  @Test
  void theStatusSubresourceCannotApprove() {
    JsonNode created = create(clientCsr("self-approve"));

    JsonNode refused =
        JSON.readTree(
            put(CSRS + "/self-approve/status", withConditions(created, "Approved"), null)
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .returnResult()
                .getResponseBody());

    assertThat(refused.path("message").asString())
        .contains("updates may not add a condition of type \"Approved\"");
  }

  @Test
  void approvingNeedsTheApproveVerbOnTheSigner() {
    JsonNode created = create(clientCsr("needs-signer"));
    // bob may update the approval subresource, but not yet approve for any signer.
    kubectlOk(
        "create",
        "clusterrole",
        "csr-approval-writer",
        "--verb=update",
        "--resource=certificatesigningrequests.certificates.k8s.io/approval");
    kubectlOk(
        "create",
        "clusterrolebinding",
        "bob-approval-writer",
        "--clusterrole=csr-approval-writer",
        "--user=bob");

    // RBAC is read from the authorizer's informers: the binding counts once they have it.
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              JsonNode forbidden =
                  JSON.readTree(
                      put(
                              CSRS + "/needs-signer/approval",
                              withConditions(created, "Approved"),
                              "bob")
                          .expectStatus()
                          .isForbidden()
                          .expectBody()
                          .returnResult()
                          .getResponseBody());
              assertThat(forbidden.path("message").asString())
                  .isEqualTo(
                      "certificatesigningrequests.certificates.k8s.io \"needs-signer\" is"
                          + " forbidden: user not permitted to approve requests with signerName \""
                          + CLIENT
                          + "\"");
            });
    assertThat(get("needs-signer").at("/status/conditions").isMissingNode()).isTrue();

    kubectlOk(
        "create",
        "clusterrolebinding",
        "bob-client-approver",
        "--clusterrole=system:certificates.k8s.io:kube-apiserver-client-approver",
        "--user=bob");

    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () ->
                put(CSRS + "/needs-signer/approval", withConditions(created, "Approved"), "bob")
                    .expectStatus()
                    .isOk());
    assertThat(get("needs-signer").at("/status/conditions/0/type").asString())
        .isEqualTo("Approved");
  }

  @Test
  void kubectlListsRequestsWithKubernetesColumns() {
    ObjectNode body = clientCsr("listed");
    ((ObjectNode) body.get("spec")).put("expirationSeconds", 3600);
    create(body);

    Kubectl.Result r = kubectl.run("get", "csr", "listed");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    List<String> lines = r.stdout().lines().toList();
    assertThat(lines.get(0).split("\\s+"))
        .containsExactly(
            "NAME", "AGE", "SIGNERNAME", "REQUESTOR", "REQUESTEDDURATION", "CONDITION");
    assertThat(lines.get(1).split("\\s+"))
        .containsExactly(
            "listed", lines.get(1).split("\\s+")[1], CLIENT, "nauta-admin", "60m", "Pending");
    Kubectl.Result resources = kubectl.run("api-resources", "--api-group=certificates.k8s.io");
    assertThat(resources.stdout()).contains("certificatesigningrequests").contains("csr");
  }

  private static void kubectlOk(String... args) {
    Kubectl.Result r = kubectl.run(args);
    assertThat(r.exitCode()).as(r.toString()).isZero();
  }
}
