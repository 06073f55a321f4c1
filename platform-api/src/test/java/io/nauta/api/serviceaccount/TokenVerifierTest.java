package io.nauta.api.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.SignedJWT;
import io.nauta.api.security.UserInfo;
import io.nauta.api.support.TestKeys;
import io.nauta.core.errors.UnauthorizedException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Claims as Kubernetes writes them, and the checks of signature, issuer, time and audience. */
class TokenVerifierTest {

  private static final String ISSUER = ServiceAccountTokenProperties.DEFAULT_ISSUER;
  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  @TempDir Path dir;

  private KeyPair pair;
  private ServiceAccountTokenProperties props;
  private ServiceAccountKeys keys;
  private TokenIssuer issuer;

  @BeforeEach
  void keys() {
    pair = TestKeys.rsa();
    Path key = TestKeys.writePrivate(pair, dir.resolve("service-account.key"));
    props = withKey(properties(List.of()), key.toString());
    keys = new ServiceAccountKeys(props, "", true);
    issuer = new TokenIssuer(keys);
  }

  private static ServiceAccountTokenProperties properties(List<String> audiences) {
    return new ServiceAccountTokenProperties(
        "", List.of(), ISSUER, audiences, "", Duration.ZERO, Duration.ofSeconds(10));
  }

  private static ServiceAccountTokenProperties withKey(
      ServiceAccountTokenProperties p, String keyFile) {
    return new ServiceAccountTokenProperties(
        keyFile,
        p.keyFiles(),
        p.issuer(),
        p.apiAudiences(),
        p.jwksUri(),
        p.maxTokenExpiration(),
        p.verifiedTokenCacheTtl());
  }

  private TokenVerifier verifierAt(Instant now) {
    return new TokenVerifier(props, keys, Clock.fixed(now, ZoneOffset.UTC));
  }

  private static TokenClaims claims(Instant iat, Duration lifetime, List<String> audiences) {
    return new TokenClaims(
        ISSUER,
        audiences,
        iat,
        iat.plus(lifetime),
        "4f1c0d2e-jti",
        "a",
        new TokenClaims.Ref("bot", "sa-uid"),
        new TokenClaims.Ref("web", "pod-uid"),
        null);
  }

  @Test
  void writesTheClaimsKubernetesWrites() {
    String token = issuer.issue(claims(NOW, Duration.ofHours(1), List.of(ISSUER)));
    String[] parts = token.split("\\.");
    JsonMapper json = JsonMapper.builder().build();
    JsonNode header = json.readTree(Base64.getUrlDecoder().decode(parts[0]));
    JsonNode payload = json.readTree(Base64.getUrlDecoder().decode(parts[1]));

    assertThat(header.path("alg").asString()).isEqualTo("RS256");
    assertThat(header.path("kid").asString())
        .isEqualTo(ServiceAccountKeys.keyId((RSAPublicKey) pair.getPublic()))
        .hasSize(43); // unpadded base64url of a SHA-256
    assertThat(payload.path("iss").asString()).isEqualTo(ISSUER);
    assertThat(payload.path("sub").asString()).isEqualTo("system:serviceaccount:a:bot");
    assertThat(payload.path("aud").get(0).asString()).isEqualTo(ISSUER);
    assertThat(payload.path("iat").asLong()).isEqualTo(NOW.getEpochSecond());
    assertThat(payload.path("nbf").asLong()).isEqualTo(NOW.getEpochSecond());
    assertThat(payload.path("exp").asLong()).isEqualTo(NOW.getEpochSecond() + 3600);
    assertThat(payload.path("jti").asString()).isEqualTo("4f1c0d2e-jti");
    JsonNode k8s = payload.path("kubernetes.io");
    assertThat(k8s.path("namespace").asString()).isEqualTo("a");
    assertThat(k8s.path("serviceaccount").path("name").asString()).isEqualTo("bot");
    assertThat(k8s.path("serviceaccount").path("uid").asString()).isEqualTo("sa-uid");
    assertThat(k8s.path("pod").path("name").asString()).isEqualTo("web");
    assertThat(k8s.path("pod").path("uid").asString()).isEqualTo("pod-uid");
    assertThat(k8s.has("secret")).isFalse();
  }

  @Test
  void acceptsItsOwnTokenForTheApiAudience() {
    String token = issuer.issue(claims(NOW, Duration.ofHours(1), List.of()));

    TokenVerifier.Verified v = verifierAt(NOW.plusSeconds(60)).verify(token, props.audiences());

    assertThat(v.claims().subject()).isEqualTo("system:serviceaccount:a:bot");
    assertThat(v.audiences()).containsExactly(ISSUER);
  }

  @Test
  void refusesAnExpiredTokenPastTheLeeway() {
    String token = issuer.issue(claims(NOW, Duration.ofMinutes(10), List.of(ISSUER)));

    assertThat(verifierAt(NOW.plusSeconds(600 + 59)).verify(token, List.of(ISSUER))).isNotNull();
    assertThatThrownBy(() -> verifierAt(NOW.plusSeconds(600 + 61)).verify(token, List.of(ISSUER)))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessage("service account token has expired");
  }

  @Test
  void refusesAnotherAudience() {
    String token = issuer.issue(claims(NOW, Duration.ofHours(1), List.of("vault")));

    assertThatThrownBy(() -> verifierAt(NOW).verify(token, List.of(ISSUER)))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessage(
            "token audiences [\"vault\"] is invalid for the target audiences [\"" + ISSUER + "\"]");
    assertThat(verifierAt(NOW).verify(token, List.of("vault")).audiences())
        .containsExactly("vault");
  }

  @Test
  void refusesATokenOfOurIssuerSignedWithAnotherKey() throws Exception {
    KeyPair foreign = TestKeys.rsa();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(ServiceAccountKeys.keyId((RSAPublicKey) foreign.getPublic()))
                .build(),
            claims(NOW, Duration.ofHours(1), List.of(ISSUER)).toJwt());
    jwt.sign(new RSASSASigner(foreign.getPrivate()));

    assertThatThrownBy(() -> verifierAt(NOW).verify(jwt.serialize(), List.of(ISSUER)))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessage("invalid signature, no keys found");
  }

  @Test
  void refusesATamperedTokenWithOurKeyId() {
    String token = issuer.issue(claims(NOW, Duration.ofHours(1), List.of(ISSUER)));
    String other =
        issuer.issue(
            new TokenClaims(
                ISSUER,
                List.of(ISSUER),
                NOW,
                NOW.plusSeconds(3600),
                "x",
                "kube-system",
                new TokenClaims.Ref("admin", "u"),
                null,
                null));
    String[] a = token.split("\\.");
    String[] b = other.split("\\.");
    String spliced = a[0] + "." + b[1] + "." + a[2];

    assertThatThrownBy(() -> verifierAt(NOW).verify(spliced, List.of(ISSUER)))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessage("go-jose/go-jose: error in cryptographic primitive");
  }

  @Test
  void leavesTokensOfOtherIssuersAndOtherShapesToOtherAuthenticators() throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).build(),
            new com.nimbusds.jwt.JWTClaimsSet.Builder()
                .issuer("https://accounts.example")
                .subject("x")
                .build());
    jwt.sign(new RSASSASigner(TestKeys.rsa().getPrivate()));

    assertThat(verifierAt(NOW).verify(jwt.serialize(), List.of(ISSUER))).isNull();
    assertThat(verifierAt(NOW).verify("abcdef.0123456789abcdef", List.of(ISSUER))).isNull();
    assertThat(verifierAt(NOW).verify("{\"iss\":\"" + ISSUER + "\"}", List.of(ISSUER))).isNull();
  }

  @Test
  void makesTheUserKubernetesMakes() {
    UserInfo user =
        ServiceAccountTokenAuthenticator.user(claims(NOW, Duration.ofHours(1), List.of(ISSUER)));

    assertThat(user.name()).isEqualTo("system:serviceaccount:a:bot");
    assertThat(user.uid()).isEqualTo("sa-uid");
    assertThat(user.groups())
        .containsExactly(
            "system:serviceaccounts", "system:serviceaccounts:a", "system:authenticated");
    assertThat(user.extra())
        .isEqualTo(
            Map.of(
                "authentication.kubernetes.io/pod-name", List.of("web"),
                "authentication.kubernetes.io/pod-uid", List.of("pod-uid"),
                "authentication.kubernetes.io/credential-id", List.of("JTI=4f1c0d2e-jti")));
  }
}
