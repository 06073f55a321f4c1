package io.nauta.api.security;

import io.nauta.core.errors.UnauthorizedException;
import io.nauta.core.pki.ClusterPki;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.SslInfo;
import reactor.core.publisher.Mono;

/**
 * Client certificates signed by the client CA, as Kubernetes' x509 authenticator: the subject's CN
 * is the user, its O values the groups. The TLS layer takes any client certificate (see {@code
 * ServingTls}); it is verified here, so one from another CA, or expired, or not for client use, is
 * a 401 with a {@code Status} rather than a failed handshake.
 */
public class X509Authenticator implements Authenticator {

  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String ANY_USAGE = "2.5.29.37.0";

  /** How long a verified chain is trusted without a new check (never past its own expiry). */
  static final Duration VERIFIED_TTL = Duration.ofMinutes(5);

  private static final int MAX_VERIFIED = 10_000;

  private record Verified(UserInfo user, long untilMillis) {}

  private final Set<TrustAnchor> anchors;
  private final Clock clock;
  // Keyed by the chain itself (certificates compare by their encoding): a client sends the same
  // chain on every request, and a PKIX path validation costs more than the rest of a GET.
  private final Map<List<X509Certificate>, Verified> verified = new ConcurrentHashMap<>();
  private final AtomicLong validations = new AtomicLong();

  public X509Authenticator(List<X509Certificate> clientCas) {
    this(clientCas, Clock.systemUTC());
  }

  X509Authenticator(List<X509Certificate> clientCas, Clock clock) {
    this.anchors = Set.copyOf(clientCas.stream().map(ca -> new TrustAnchor(ca, null)).toList());
    this.clock = clock;
  }

  @Override
  public Mono<UserInfo> authenticate(ServerHttpRequest request) {
    SslInfo ssl = request.getSslInfo();
    X509Certificate[] chain = ssl == null ? null : ssl.getPeerCertificates();
    if (chain == null || chain.length == 0) {
      return Mono.empty();
    }
    return Mono.fromCallable(() -> userOf(chain));
  }

  /**
   * The user of a chain, validated against the client CAs, or from a validation of the same chain
   * made less than {@link #VERIFIED_TTL} ago and before any of its certificates expired: the
   * outcome cannot differ then (the anchors are fixed, revocation is not checked). Refusals are not
   * remembered.
   */
  UserInfo userOf(X509Certificate[] chain) {
    List<X509Certificate> key = List.of(chain);
    long now = clock.millis();
    Verified known = verified.get(key);
    if (known != null && now < known.untilMillis()) {
      return known.user();
    }
    UserInfo user = validate(chain, now);
    long until = now + VERIFIED_TTL.toMillis();
    for (X509Certificate c : chain) {
      until = Math.min(until, c.getNotAfter().getTime());
    }
    if (verified.size() >= MAX_VERIFIED) {
      verified.values().removeIf(v -> v.untilMillis() <= now);
      if (verified.size() >= MAX_VERIFIED) {
        verified.clear();
      }
    }
    verified.put(key, new Verified(user, until));
    return user;
  }

  /** How many chains were validated (not answered from the verified ones). */
  long validations() {
    return validations.get();
  }

  private UserInfo validate(X509Certificate[] chain, long nowMillis) {
    validations.incrementAndGet();
    X509Certificate leaf = chain[0];
    try {
      PKIXParameters params = new PKIXParameters(anchors);
      params.setRevocationEnabled(false);
      params.setDate(new Date(nowMillis));
      CertPathValidator.getInstance("PKIX")
          .validate(
              CertificateFactory.getInstance("X.509").generateCertPath(Arrays.asList(chain)),
              params);
      List<String> usages = leaf.getExtendedKeyUsage();
      if (usages != null && !usages.contains(CLIENT_AUTH) && !usages.contains(ANY_USAGE)) {
        throw new UnauthorizedException("Unauthorized");
      }
    } catch (GeneralSecurityException e) {
      throw new UnauthorizedException("Unauthorized");
    }
    String user = ClusterPki.commonName(leaf.getSubjectX500Principal());
    if (user.isEmpty()) {
      throw new UnauthorizedException("Unauthorized");
    }
    return new UserInfo(user, ClusterPki.organizationList(leaf.getSubjectX500Principal()));
  }
}
