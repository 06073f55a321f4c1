package io.nauta.agent.bootstrap;

import io.nauta.core.certificates.CertificationRequests;
import io.nauta.core.certificates.SigningRequests;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.KubeClient;
import io.nauta.core.pki.ClusterPki;
import io.nauta.core.pki.Kubeconfigs;
import io.nauta.core.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * How an agent gets its own identity with nothing but a bootstrap token, as the kubelet's {@code
 * --bootstrap-kubeconfig} does ({@code pkg/kubelet/certificate/bootstrap}): when its kubeconfig has
 * no client certificate that is valid now, it posts a CertificateSigningRequest for {@code
 * CN=system:node:<node>}, {@code O=system:nodes} with signer {@code
 * kubernetes.io/kube-apiserver-client-kubelet} as the bootstrap kubeconfig's user (a {@code
 * system:bootstrappers} token, which the controller manager's csrapproving controller approves
 * automatically), waits for the signed certificate and writes a kubeconfig with it, mode 600.
 */
final class NodeClientBootstrap {

  private static final Logger log = LoggerFactory.getLogger(NodeClientBootstrap.class);

  /** The usages a kubelet asks for with an EC key (no key encipherment: that is RSA's). */
  static final List<String> USAGES = List.of("digital signature", "client auth");

  private final Path kubeconfig;
  private final Path bootstrapKubeconfig;
  private final String user;
  private final Duration pollInterval;
  private final Clock clock;

  /**
   * @param kubeconfig where the agent's own kubeconfig is, or will be written
   * @param bootstrapKubeconfig the server, its CA and the bootstrap token to ask with
   * @param nodeName the node this agent is: its user will be {@code system:node:<nodeName>}
   * @param pollInterval how often the request is read again while it waits for approval
   */
  NodeClientBootstrap(
      Path kubeconfig,
      Path bootstrapKubeconfig,
      String nodeName,
      Duration pollInterval,
      Clock clock) {
    this.kubeconfig = kubeconfig;
    this.bootstrapKubeconfig = bootstrapKubeconfig;
    this.user = "system:node:" + nodeName;
    this.pollInterval = pollInterval;
    this.clock = clock;
  }

  String user() {
    return user;
  }

  /**
   * The agent's client settings: from its kubeconfig when that holds a certificate valid now; after
   * a new certificate has been requested, issued and written there when not. A certificate valid
   * for fewer than {@link ClusterPki#RENEW_BEFORE} more days is renewed at start, as the cluster's
   * own are: asked for with the node's own identity (approved for a node renewing itself, the
   * {@code selfnodeclient} recognizer), so the token, long expired by then, is not needed.
   */
  Mono<ClientConfig> clientConfig() {
    Optional<ClientConfig> current = currentConfig();
    if (current.isPresent() && !dueForRenewal(current.get())) {
      return Mono.just(current.get());
    }
    return Mono.defer(
        () -> {
          ClientConfig asker = current.orElseGet(this::bootstrapConfig);
          if (asker.certificateAuthority() == null) {
            return Mono.error(
                new IllegalStateException(
                    "bootstrap kubeconfig "
                        + bootstrapKubeconfig
                        + " names no certificate-authority[-data]: the agent could not trust the"
                        + " server"));
          }
          Path keyFile = keyFile();
          KeyPair keys = PendingKey.loadOrCreate(keyFile);
          String name =
              CertificateRequester.requestName(
                  "node-csr-", keys.getPublic(), user + "|" + ClusterPki.NODES_GROUP, USAGES);
          log.info(
              "requesting a client certificate for {} from {} as {} (CertificateSigningRequest {})",
              user,
              asker.server(),
              current.isPresent() ? "itself" : "the bootstrap token's user",
              name);
          return new CertificateRequester(new KubeClient(asker), pollInterval)
              .certificate(
                  name,
                  CertificationRequests.pem(keys, user, List.of(ClusterPki.NODES_GROUP)),
                  SigningRequests.KUBELET_CLIENT,
                  USAGES)
              .map(certificate -> writeKubeconfig(asker, certificate, keyFile));
        });
  }

  private ClientConfig bootstrapConfig() {
    return ClientConfig.fromKubeconfig(bootstrapKubeconfig);
  }

  private boolean dueForRenewal(ClientConfig config) {
    Instant end = Pem.parseCertificate(config.clientCertificate()).getNotAfter().toInstant();
    boolean due = end.isBefore(clock.instant().plus(ClusterPki.RENEW_BEFORE));
    if (due) {
      log.info("the client certificate in {} expires at {}: renewing it", kubeconfig, end);
    }
    return due;
  }

  /** The kubeconfig's settings when it exists and its client certificate is valid now. */
  private Optional<ClientConfig> currentConfig() {
    if (!Files.isRegularFile(kubeconfig)) {
      return Optional.empty();
    }
    ClientConfig config;
    try {
      config = ClientConfig.fromKubeconfig(kubeconfig);
    } catch (RuntimeException e) {
      log.warn("kubeconfig {} is unreadable ({}): joining again", kubeconfig, e.getMessage());
      return Optional.empty();
    }
    if (config.clientCertificate() == null
        || !ValidCertificates.validNow(config.clientCertificate(), clock)) {
      log.info("kubeconfig {} holds no client certificate valid now: joining again", kubeconfig);
      return Optional.empty();
    }
    return Optional.of(config);
  }

  private Path keyFile() {
    return kubeconfig.resolveSibling(kubeconfig.getFileName() + ".key.tmp");
  }

  private ClientConfig writeKubeconfig(ClientConfig asker, String certificate, Path keyFile) {
    Pem.writeSecret(
        kubeconfig,
        Kubeconfigs.withClientCertificate(
            asker.server(),
            asker.certificateAuthority(),
            certificate,
            PendingKey.privateKeyPem(keyFile),
            user));
    PendingKey.remove(keyFile);
    log.info("wrote kubeconfig {} for {}", kubeconfig, user);
    return ClientConfig.fromKubeconfig(kubeconfig);
  }
}
