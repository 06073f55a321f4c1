package io.nauta.api.security;

import io.nauta.core.errors.UnauthorizedException;
import io.nauta.core.pki.ClusterPki;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
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

  private final Set<TrustAnchor> anchors;

  public X509Authenticator(List<X509Certificate> clientCas) {
    this.anchors = Set.copyOf(clientCas.stream().map(ca -> new TrustAnchor(ca, null)).toList());
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

  UserInfo userOf(X509Certificate[] chain) {
    X509Certificate leaf = chain[0];
    try {
      PKIXParameters params = new PKIXParameters(anchors);
      params.setRevocationEnabled(false);
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
