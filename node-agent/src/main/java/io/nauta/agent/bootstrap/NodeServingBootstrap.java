package io.nauta.agent.bootstrap;

import io.nauta.core.certificates.CertificationRequests;
import io.nauta.core.certificates.SigningRequests;
import io.nauta.core.client.KubeClient;
import io.nauta.core.pki.ClusterPki;
import io.nauta.core.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The agent's serving certificate, as the kubelet's {@code serverTLSBootstrap}: a
 * CertificateSigningRequest with signer {@code kubernetes.io/kubelet-serving} for {@code
 * CN=system:node:<node>}, {@code O=system:nodes}, naming the node's addresses, posted with the
 * node's own identity. The controller manager signs it with the server CA, the one the API server
 * checks agents' certificates against, so an agent on another host needs no file from the control
 * plane's machine. Kept in the agent's directory and asked for again when it is not valid now or
 * does not name the node's addresses any more.
 */
final class NodeServingBootstrap {

  private static final Logger log = LoggerFactory.getLogger(NodeServingBootstrap.class);

  static final String SIGNER = SigningRequests.KUBELET_SERVING;
  static final List<String> USAGES = List.of("digital signature", "server auth");

  private final Path certificateFile;
  private final Path keyFile;
  private final String user;
  private final List<String> dnsNames;
  private final List<String> ipAddresses;
  private final Duration pollInterval;
  private final Clock clock;

  NodeServingBootstrap(
      Path certificateFile,
      Path keyFile,
      String nodeName,
      List<String> dnsNames,
      List<String> ipAddresses,
      Duration pollInterval,
      Clock clock) {
    this.certificateFile = certificateFile;
    this.keyFile = keyFile;
    this.user = "system:node:" + nodeName;
    this.dnsNames = List.copyOf(dnsNames);
    this.ipAddresses = List.copyOf(ipAddresses);
    this.pollInterval = pollInterval;
    this.clock = clock;
  }

  /** Completes once the certificate and key files hold a usable serving certificate. */
  Mono<Void> ensure(KubeClient asNode) {
    if (current()) {
      return Mono.empty();
    }
    return Mono.defer(
        () -> {
          Path pending = keyFile.resolveSibling(keyFile.getFileName() + ".tmp");
          KeyPair keys = PendingKey.loadOrCreate(pending);
          String name =
              CertificateRequester.requestName(
                  "csr-", keys.getPublic(), user + "|" + dnsNames + "|" + ipAddresses, USAGES);
          log.info(
              "requesting a serving certificate for {} ({}, {}) (CertificateSigningRequest {})",
              user,
              dnsNames,
              ipAddresses,
              name);
          return new CertificateRequester(asNode, pollInterval)
              .certificate(
                  name,
                  CertificationRequests.pem(
                      keys, user, List.of(ClusterPki.NODES_GROUP), dnsNames, ipAddresses),
                  SIGNER,
                  USAGES)
              .doOnNext(
                  certificate -> {
                    Pem.writeSecret(keyFile, PendingKey.privateKeyPem(pending));
                    Pem.writePublic(certificateFile, certificate);
                    PendingKey.remove(pending);
                    log.info("wrote serving certificate {}", certificateFile);
                  })
              .then();
        });
  }

  private boolean current() {
    if (!Files.isRegularFile(certificateFile) || !Files.isRegularFile(keyFile)) {
      return false;
    }
    String pem = Pem.read(certificateFile);
    // A node whose address changed asks again: the API server would refuse the old certificate at
    // the new address.
    return ValidCertificates.validNow(pem, clock)
        && ClusterPki.namesExactly(Pem.parseCertificate(pem), dnsNames, ipAddresses);
  }
}
