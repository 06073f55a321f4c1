package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.nauta.api.security.UserInfo;
import io.nauta.api.serviceaccount.ServiceAccountTokenAuthenticator;
import io.nauta.api.serviceaccount.TokenClaims;
import io.nauta.api.serviceaccount.TokenIssuer;
import io.nauta.api.support.TestApiServer;
import io.nauta.api.support.TestKeys;
import io.nauta.core.errors.UnauthorizedException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/**
 * Service-account tokens against a real API server with security on: TokenRequest over HTTP and
 * with the real {@code kubectl create token}, TokenReview of good and bad tokens, the token
 * authenticator as the authentication filter will call it, issuer discovery and discovery.
 */
class ServiceAccountTokenIT {

  private static final String ISSUER = "https://kubernetes.default.svc.cluster.local";

  @TempDir static Path dir;

  private static TestApiServer server;
  private static ApiCalls api;
  private static Kubectl kubectl;

  @BeforeAll
  static void start() {
    KeyPair pair = TestKeys.rsa();
    Path key = TestKeys.writePrivate(pair, dir.resolve("service-account.key"));
    server =
        TestApiServer.startOnEmptyRedis(
            "nauta.security.enabled=true",
            "nauta.security.pki-dir=" + dir.resolve("pki"),
            "nauta.security.service-account.signing-key-file=" + key);
    api = new ApiCalls(server);
    kubectl = new Kubectl(server.kubeconfig(dir));
    assertThat(api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"a\"}}").status())
        .isEqualTo(201);
    // No controller manager here: the account pods default to, as its controller would make it.
    createServiceAccount("default");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonNode createServiceAccount(String name) {
    ApiCalls.Response r =
        api.post(
            "/api/v1/namespaces/a/serviceaccounts", "{\"metadata\":{\"name\":\"" + name + "\"}}");
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body();
  }

  private static ApiCalls.Response requestToken(String sa, String spec) {
    return api.post(
        "/api/v1/namespaces/a/serviceaccounts/" + sa + "/token",
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":"
            + spec
            + "}");
  }

  private static String token(String sa, String spec) {
    ApiCalls.Response r = requestToken(sa, spec);
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().path("status").path("token").asString();
  }

  private static JsonNode review(String token, String... audiences) {
    StringBuilder auds = new StringBuilder();
    for (String a : audiences) {
      auds.append(auds.isEmpty() ? "" : ",").append('"').append(a).append('"');
    }
    ApiCalls.Response r =
        api.post(
            "/apis/authentication.k8s.io/v1/tokenreviews",
            "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"token\":\""
                + token
                + "\",\"audiences\":["
                + auds
                + "]}}");
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().path("status");
  }

  @Test
  void aRequestedTokenReviewsAsItsServiceAccount() {
    JsonNode sa = createServiceAccount("bot");
    ApiCalls.Response r = requestToken("bot", "{}");

    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    assertThat(r.body().path("kind").asString()).isEqualTo("TokenRequest");
    assertThat(r.body().path("spec").path("expirationSeconds").asLong()).isEqualTo(3600);
    assertThat(r.body().path("spec").path("audiences").get(0).asString()).isEqualTo(ISSUER);
    Instant expires = Instant.parse(r.body().path("status").path("expirationTimestamp").asString());
    assertThat(expires).isBetween(Instant.now().plusSeconds(3500), Instant.now().plusSeconds(3700));

    JsonNode status = review(r.body().path("status").path("token").asString());

    assertThat(status.path("authenticated").asBoolean()).as(status.toString()).isTrue();
    assertThat(status.path("user").path("username").asString())
        .isEqualTo("system:serviceaccount:a:bot");
    assertThat(status.path("user").path("uid").asString())
        .isEqualTo(sa.path("metadata").path("uid").asString());
    assertThat(status.path("user").path("groups").toString())
        .isEqualTo(
            "[\"system:serviceaccounts\",\"system:serviceaccounts:a\",\"system:authenticated\"]");
    assertThat(
            status
                .path("user")
                .path("extra")
                .path("authentication.kubernetes.io/credential-id")
                .get(0)
                .asString())
        .startsWith("JTI=");
    assertThat(status.path("audiences").toString()).isEqualTo("[\"" + ISSUER + "\"]");
  }

  @Test
  void theAuthenticatorGivesTheUserOfAValidTokenAndRefusesABadOne() {
    createServiceAccount("filter");
    String token = token("filter", "{}");
    ServiceAccountTokenAuthenticator authenticator =
        server.bean(ServiceAccountTokenAuthenticator.class);

    StepVerifier.create(
            authenticator.authenticate(
                MockServerHttpRequest.get("/api/v1/pods")
                    .header("Authorization", "Bearer " + token)
                    .build()))
        .assertNext(
            user -> {
              assertThat(user.name()).isEqualTo("system:serviceaccount:a:filter");
              assertThat(user.groups()).contains(UserInfo.AUTHENTICATED);
            })
        .verifyComplete();
    StepVerifier.create(
            authenticator.authenticate(
                MockServerHttpRequest.get("/api/v1/pods")
                    .header("Authorization", "Bearer " + token.substring(0, token.length() - 4))
                    .build()))
        .expectError(UnauthorizedException.class)
        .verify();
    StepVerifier.create(authenticator.authenticate(MockServerHttpRequest.get("/").build()))
        .verifyComplete();
    StepVerifier.create(
            authenticator.authenticate(
                MockServerHttpRequest.get("/")
                    .header("Authorization", "Bearer abcdef.0123456789abcdef")
                    .build()))
        .verifyComplete();
  }

  @Test
  void anExpiredTokenIsNotAuthenticated() {
    JsonNode sa = createServiceAccount("old");
    Instant issued = Instant.now().minus(Duration.ofHours(2));
    String token =
        server
            .bean(TokenIssuer.class)
            .issue(
                new TokenClaims(
                    ISSUER,
                    List.of(ISSUER),
                    issued,
                    issued.plus(Duration.ofHours(1)),
                    "jti",
                    "a",
                    new TokenClaims.Ref("old", sa.path("metadata").path("uid").asString()),
                    null,
                    null));

    JsonNode status = review(token);

    assertThat(status.path("authenticated").asBoolean()).isFalse();
    assertThat(status.path("error").asString()).isEqualTo("service account token has expired");
  }

  @Test
  void aTokenSignedWithAnotherKeyIsNotAuthenticated() throws Exception {
    JsonNode sa = createServiceAccount("forged");
    KeyPair foreign = TestKeys.rsa();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).build(),
            new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject("system:serviceaccount:a:forged")
                .audience(ISSUER)
                .expirationTime(Date.from(Instant.now().plusSeconds(600)))
                .claim(
                    "kubernetes.io",
                    java.util.Map.of(
                        "namespace",
                        "a",
                        "serviceaccount",
                        java.util.Map.of(
                            "name", "forged", "uid", sa.path("metadata").path("uid").asString())))
                .build());
    jwt.sign(new RSASSASigner(foreign.getPrivate()));

    JsonNode status = review(jwt.serialize());

    assertThat(status.path("authenticated").asBoolean()).isFalse();
    assertThat(status.path("error").asString())
        .isEqualTo("go-jose/go-jose: error in cryptographic primitive");
  }

  @Test
  void aTokenForAnotherAudienceIsNotAuthenticatedHere() {
    createServiceAccount("vaulted");
    String token = token("vaulted", "{\"audiences\":[\"vault\"]}");

    JsonNode here = review(token);
    JsonNode forVault = review(token, "vault");

    assertThat(here.path("authenticated").asBoolean()).isFalse();
    assertThat(here.path("error").asString())
        .isEqualTo(
            "token audiences [\"vault\"] is invalid for the target audiences [\"" + ISSUER + "\"]");
    assertThat(forVault.path("authenticated").asBoolean()).isTrue();
    assertThat(forVault.path("audiences").toString()).isEqualTo("[\"vault\"]");
  }

  @Test
  void deletingTheServiceAccountRevokesItsTokensEvenWhenItIsRecreated() {
    createServiceAccount("gone");
    String token = token("gone", "{}");
    assertThat(review(token).path("authenticated").asBoolean()).isTrue();

    assertThat(api.delete("/api/v1/namespaces/a/serviceaccounts/gone").status()).isEqualTo(200);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(review(token).path("error").asString())
                    .isEqualTo("serviceaccount \"gone\" not found"));
    createServiceAccount("gone");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(review(token).path("error").asString())
                    .startsWith("service account UID ("));
    assertThat(review(token).path("authenticated").asBoolean()).isFalse();
  }

  @Test
  void aTokenBoundToAPodEndsWithThePod() {
    createServiceAccount("runner");
    ApiCalls.Response pod =
        api.post(
            "/api/v1/namespaces/a/pods",
            "{\"metadata\":{\"name\":\"job\"},\"spec\":{\"serviceAccountName\":\"runner\","
                + "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}");
    assertThat(pod.status()).as(pod.raw()).isEqualTo(201);
    String podUid = pod.body().path("metadata").path("uid").asString();
    String token =
        token(
            "runner",
            "{\"boundObjectRef\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"job\"}}");

    JsonNode bound = review(token);
    assertThat(bound.path("authenticated").asBoolean()).as(bound.toString()).isTrue();
    assertThat(
            bound
                .path("user")
                .path("extra")
                .path("authentication.kubernetes.io/pod-name")
                .get(0)
                .asString())
        .isEqualTo("job");
    assertThat(
            bound
                .path("user")
                .path("extra")
                .path("authentication.kubernetes.io/pod-uid")
                .get(0)
                .asString())
        .isEqualTo(podUid);

    assertThat(api.delete("/api/v1/namespaces/a/pods/job?gracePeriodSeconds=0").status())
        .isBetween(200, 202);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              JsonNode status = review(token);
              assertThat(status.path("authenticated").asBoolean()).isFalse();
              assertThat(status.path("error").asString())
                  .isEqualTo("service account token has been invalidated");
            });
  }

  @Test
  void tokenRequestsAreValidatedAsKubernetesValidatesThem() {
    createServiceAccount("strict");
    api.post(
        "/api/v1/namespaces/a/pods",
        "{\"metadata\":{\"name\":\"other\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}");

    ApiCalls.Response tooShort = requestToken("strict", "{\"expirationSeconds\":60}");
    ApiCalls.Response otherAccount =
        requestToken(
            "strict",
            "{\"boundObjectRef\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"other\"}}");
    ApiCalls.Response node =
        requestToken(
            "strict",
            "{\"boundObjectRef\":{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"name\":\"x\"}}");
    ApiCalls.Response noAccount = requestToken("nobody", "{}");

    assertThat(tooShort.status()).isEqualTo(422);
    assertThat(tooShort.body().path("message").asString())
        .isEqualTo(
            "TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid"
                + " value: 60: may not specify a duration less than 10 minutes");
    assertThat(otherAccount.status()).isEqualTo(400);
    assertThat(otherAccount.body().path("message").asString())
        .isEqualTo(
            "cannot bind token for serviceaccount \"strict\" to pod running with serviceaccount"
                + " \"default\"");
    assertThat(node.status()).isEqualTo(400);
    assertThat(node.body().path("message").asString())
        .isEqualTo("cannot bind token to object of type apps/v1, Kind=Deployment");
    assertThat(noAccount.status()).isEqualTo(404);
    assertThat(noAccount.body().path("message").asString())
        .isEqualTo("serviceaccounts \"nobody\" not found");
    assertThat(api.get("/api/v1/namespaces/a/serviceaccounts/strict/token").status())
        .isEqualTo(405);
    assertThat(api.get("/apis/authentication.k8s.io/v1/tokenreviews").status()).isEqualTo(405);
  }

  @Test
  void kubectlCreateTokenIssuesTokensThatReviewAsTheAccount() {
    createServiceAccount("cli");
    api.post(
        "/api/v1/namespaces/a/pods",
        "{\"metadata\":{\"name\":\"clipod\"},\"spec\":{\"serviceAccountName\":\"cli\","
            + "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}");

    Kubectl.Result plain = kubectl.run("create", "token", "cli", "-n", "a");
    Kubectl.Result custom =
        kubectl.run(
            "create",
            "token",
            "cli",
            "-n",
            "a",
            "--duration",
            "2h",
            "--audience",
            "vault",
            "--bound-object-kind",
            "Pod",
            "--bound-object-name",
            "clipod");
    Kubectl.Result tooShort = kubectl.run("create", "token", "cli", "-n", "a", "--duration", "1m");

    assertThat(plain.exitCode()).as(plain.toString()).isZero();
    JsonNode status = review(plain.stdout().strip());
    assertThat(status.path("user").path("username").asString())
        .isEqualTo("system:serviceaccount:a:cli");
    assertThat(custom.exitCode()).as(custom.toString()).isZero();
    JsonNode customStatus = review(custom.stdout().strip(), "vault");
    assertThat(customStatus.path("authenticated").asBoolean()).as(customStatus.toString()).isTrue();
    assertThat(
            customStatus
                .path("user")
                .path("extra")
                .path("authentication.kubernetes.io/pod-name")
                .get(0)
                .asString())
        .isEqualTo("clipod");
    assertThat(tooShort.exitCode()).isNotZero();
    assertThat(tooShort.stderr())
        .contains(
            "TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid"
                + " value: 60: may not specify a duration less than 10 minutes");
  }

  @Test
  void selfSubjectReviewAnswersWhoAsks() {
    Kubectl.Result whoami = kubectl.run("auth", "whoami", "-o", "json");

    assertThat(whoami.exitCode()).as(whoami.toString()).isZero();
    JsonNode review = ApiCalls.parse(whoami.stdout());
    assertThat(review.path("kind").asString()).isEqualTo("SelfSubjectReview");
    // kubectl runs with the admin kubeconfig: its client certificate names the user.
    assertThat(review.path("status").path("userInfo").path("username").asString())
        .isEqualTo("nauta-admin");
    assertThat(review.path("status").path("userInfo").path("groups").toString())
        .contains("system:masters", "system:authenticated");
  }

  @Test
  void issuerDiscoveryServesTheKeysThatVerifyTokens() throws Exception {
    createServiceAccount("oidc");
    String token = token("oidc", "{}");

    ApiCalls.Response config = api.get("/.well-known/openid-configuration");
    ApiCalls.Response jwks = api.get("/openid/v1/jwks");

    assertThat(config.status()).isEqualTo(200);
    assertThat(config.body().path("issuer").asString()).isEqualTo(ISSUER);
    assertThat(config.body().path("jwks_uri").asString())
        .isEqualTo(server.url() + "/openid/v1/jwks");
    assertThat(config.body().path("id_token_signing_alg_values_supported").toString())
        .isEqualTo("[\"RS256\"]");
    assertThat(jwks.status()).isEqualTo(200);
    assertThat(jwks.headers().getContentType().toString()).isEqualTo("application/jwk-set+json");
    SignedJWT jwt = SignedJWT.parse(token);
    RSAKey key = (RSAKey) JWKSet.parse(jwks.raw()).getKeyByKeyId(jwt.getHeader().getKeyID());
    assertThat(key).isNotNull();
    assertThat(key.isPrivate()).isFalse();
    assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
  }

  @Test
  void serviceAccountsMayReadIssuerDiscoveryAndAnonymousCallersMayNot() throws Exception {
    // Kubernetes binds system:service-account-issuer-discovery to every service account (the
    // group system:serviceaccounts), so a pod can verify its cluster's tokens; nobody else.
    createServiceAccount("discoverer");
    String token = token("discoverer", "{}");
    HttpClient http = server.anonymousHttpClient();

    for (String path : List.of("/.well-known/openid-configuration", "/openid/v1/jwks")) {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path));
      HttpResponse<String> anonymous = http.send(request.build(), BodyHandlers.ofString());
      HttpResponse<String> asAccount =
          http.send(
              request.header("Authorization", "Bearer " + token).build(), BodyHandlers.ofString());

      assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
      assertThat(asAccount.statusCode()).as(path + " " + asAccount.body()).isEqualTo(200);
    }
  }

  @Test
  void discoveryListsServiceAccountsTokenRequestsAndReviews() {
    Kubectl.Result resources =
        kubectl.run("api-resources", "--api-group=authentication.k8s.io", "-o", "wide");
    JsonNode core = api.get("/api/v1").body();
    JsonNode token = null;
    for (JsonNode r : core.path("resources")) {
      if (r.path("name").asString().equals("serviceaccounts/token")) {
        token = r;
      }
    }

    assertThat(token).isNotNull();
    assertThat(token.path("kind").asString()).isEqualTo("TokenRequest");
    assertThat(token.path("group").asString()).isEqualTo("authentication.k8s.io");
    assertThat(token.path("verbs").toString()).isEqualTo("[\"create\"]");
    assertThat(resources.exitCode()).as(resources.toString()).isZero();
    assertThat(resources.stdout())
        .containsPattern("tokenreviews +authentication.k8s.io/v1 +false +TokenReview +create")
        .containsPattern(
            "selfsubjectreviews +authentication.k8s.io/v1 +false +SelfSubjectReview +create");
    createServiceAccount("listed");
    Kubectl.Result sa = kubectl.run("get", "sa", "listed", "-n", "a");
    assertThat(sa.stdout()).as(sa.toString()).containsPattern("NAME +SECRETS +AGE\nlisted +0 +");
  }
}
