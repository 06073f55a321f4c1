package io.nauta.agent.auth;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.pki.ClusterPki;
import io.nauta.core.pki.Pem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.SslInfo;
import reactor.core.publisher.Mono;

/**
 * Tells who called the agent's port, as the kubelet's {@code --client-ca-file} and {@code
 * --authentication-token-webhook} do: a client certificate signed by the cluster's client CA (CN
 * the user, O the groups), else a bearer token the API server vouches for in a {@code TokenReview}.
 * Review answers, yes or no, are remembered for {@code ttl} (kubelet: 2 min) by the token's
 * SHA-256, so the token itself is kept nowhere and never logged. Empty means no accepted
 * credential.
 */
public final class CallerAuthentication {

  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String ANY_USAGE = "2.5.29.37.0";

  private final Set<TrustAnchor> clientCas;
  private final ResourceClient<TokenReview> reviews;
  private final TtlCache<String, Optional<Caller>> cache;
  private final Duration ttl;

  /**
   * @param clientCaFile the client CA certificate(s); null accepts no client certificate
   */
  public CallerAuthentication(
      Path clientCaFile, ResourceClient<TokenReview> reviews, Duration ttl, Clock clock) {
    this.clientCas =
        clientCaFile == null
            ? Set.of()
            : Set.of(new TrustAnchor(Pem.parseCertificate(Pem.read(clientCaFile)), null));
    this.reviews = reviews;
    this.cache = new TtlCache<>(clock);
    this.ttl = ttl;
  }

  public Mono<Caller> authenticate(ServerHttpRequest request) {
    SslInfo ssl = request.getSslInfo();
    X509Certificate[] chain = ssl == null ? null : ssl.getPeerCertificates();
    if (chain != null && chain.length > 0 && !clientCas.isEmpty()) {
      Caller caller = verified(chain);
      if (caller != null) {
        return Mono.just(caller);
      }
    }
    String token = bearer(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
    if (token == null) {
      return Mono.empty();
    }
    String key = sha256(token);
    Optional<Caller> known = cache.get(key);
    if (known != null) {
      return Mono.justOrEmpty(known);
    }
    return reviews
        .create(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build())
        .map(CallerAuthentication::callerOf)
        .doOnNext(c -> cache.put(key, c, ttl))
        .flatMap(Mono::justOrEmpty);
  }

  private static Optional<Caller> callerOf(TokenReview review) {
    if (review.getStatus() == null
        || !Boolean.TRUE.equals(review.getStatus().getAuthenticated())
        || review.getStatus().getUser() == null) {
      return Optional.empty();
    }
    UserInfo user = review.getStatus().getUser();
    return Optional.of(
        new Caller(user.getUsername(), user.getUid(), user.getGroups(), user.getExtra()));
  }

  /** The certificate's subject, when it chains to the client CA and may be used by a client. */
  private Caller verified(X509Certificate[] chain) {
    try {
      PKIXParameters params = new PKIXParameters(clientCas);
      params.setRevocationEnabled(false);
      CertPathValidator.getInstance("PKIX")
          .validate(
              CertificateFactory.getInstance("X.509").generateCertPath(Arrays.asList(chain)),
              params);
      List<String> usages = chain[0].getExtendedKeyUsage();
      if (usages != null && !usages.contains(CLIENT_AUTH) && !usages.contains(ANY_USAGE)) {
        return null;
      }
    } catch (GeneralSecurityException e) {
      return null;
    }
    String user = ClusterPki.commonName(chain[0].getSubjectX500Principal());
    return user.isEmpty()
        ? null
        : new Caller(
            user, "", ClusterPki.organizationList(chain[0].getSubjectX500Principal()), null);
  }

  private static String bearer(String header) {
    if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = header.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  private static String sha256(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
