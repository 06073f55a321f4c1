package io.nauta.agent.bootstrap;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.nauta.core.certificates.CertificationRequests;
import io.nauta.core.certificates.SigningRequests;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.errors.ForbiddenException;
import io.nauta.core.errors.InvalidException;
import io.nauta.core.errors.UnauthorizedException;
import io.nauta.core.pki.ClusterPki;
import io.nauta.core.pki.Kubeconfigs;
import io.nauta.core.pki.Pem;
import io.nauta.core.registry.BuiltInResources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * How an agent gets its own identity with nothing but a bootstrap token, as the kubelet's {@code
 * --bootstrap-kubeconfig} does ({@code pkg/kubelet/certificate/bootstrap}): when its kubeconfig has
 * no client certificate that is valid now, it makes a key, posts a CertificateSigningRequest for
 * {@code CN=system:node:<node>}, {@code O=system:nodes} with signer {@code
 * kubernetes.io/kube-apiserver-client-kubelet} as the bootstrap kubeconfig's user (a {@code
 * system:bootstrappers} token, which the controller manager's csrapproving controller approves
 * automatically), waits for the signed certificate and writes a kubeconfig with it, mode 600.
 *
 * <p>The key is kept beside the kubeconfig until the certificate arrives and the request's name is
 * derived from it, so an agent restarted while it waits finds its own request again instead of
 * posting another (kubelet's {@code kubelet-client.key.tmp} and {@code digestedName}).
 */
public final class NodeClientBootstrap {

  private static final Logger log = LoggerFactory.getLogger(NodeClientBootstrap.class);

  /** The usages a kubelet asks for with an EC key (no key encipherment: that is RSA's). */
  static final List<String> USAGES = List.of("digital signature", "client auth");

  private final Path kubeconfig;
  private final Path bootstrapKubeconfig;
  private final String nodeName;
  private final Duration pollInterval;
  private final Clock clock;

  /**
   * @param kubeconfig where the agent's own kubeconfig is, or will be written
   * @param bootstrapKubeconfig the server, its CA and the bootstrap token to ask with
   * @param nodeName the node this agent is: its user will be {@code system:node:<nodeName>}
   * @param pollInterval how often the request is read again while it waits for approval
   */
  public NodeClientBootstrap(
      Path kubeconfig,
      Path bootstrapKubeconfig,
      String nodeName,
      Duration pollInterval,
      Clock clock) {
    this.kubeconfig = kubeconfig;
    this.bootstrapKubeconfig = bootstrapKubeconfig;
    this.nodeName = nodeName;
    this.pollInterval = pollInterval;
    this.clock = clock;
  }

  /** The user the agent's certificate names. */
  public String user() {
    return "system:node:" + nodeName;
  }

  /**
   * The agent's client settings: from its kubeconfig when that holds a certificate valid now,
   * otherwise after a certificate has been requested, issued and written there.
   */
  public Mono<ClientConfig> clientConfig() {
    Optional<ClientConfig> current = currentConfig();
    if (current.isPresent()) {
      return Mono.just(current.get());
    }
    return Mono.fromCallable(this::pendingKey)
        .flatMap(this::requestCertificate)
        .map(certificatePem -> writeKubeconfig(certificatePem))
        .map(ClientConfig::fromKubeconfig);
  }

  /** The kubeconfig's settings when it exists and its client certificate is valid now. */
  Optional<ClientConfig> currentConfig() {
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
    if (config.clientCertificate() == null) {
      return Optional.empty();
    }
    X509Certificate cert = Pem.parseCertificate(config.clientCertificate());
    Instant now = clock.instant();
    if (now.isBefore(cert.getNotBefore().toInstant())
        || !now.isBefore(cert.getNotAfter().toInstant())) {
      log.info(
          "the client certificate in {} is not valid now (until {}): joining again",
          kubeconfig,
          cert.getNotAfter().toInstant());
      return Optional.empty();
    }
    return Optional.of(config);
  }

  private Path keyFile() {
    return kubeconfig.resolveSibling(kubeconfig.getFileName() + ".key.tmp");
  }

  // The key of a request still in flight, or a new one (kept, mode 600, until the kubeconfig holds
  // the certificate: the request's name, and so the request, is tied to it).
  private KeyPair pendingKey() {
    Path file = keyFile();
    if (Files.isRegularFile(file)) {
      try {
        PrivateKey key = Pem.parsePrivateKey(Pem.read(file));
        PublicKey pub =
            Pem.parsePublicKey(Pem.read(file.resolveSibling(file.getFileName() + ".pub")));
        return new KeyPair(pub, key);
      } catch (RuntimeException e) {
        log.warn("the pending key {} is unreadable ({}): making a new one", file, e.getMessage());
      }
    }
    KeyPair keys = CertificationRequests.newKeyPair();
    Pem.writeSecret(file, Pem.privateKey(keys.getPrivate()));
    Pem.writePublic(
        file.resolveSibling(file.getFileName() + ".pub"), Pem.publicKey(keys.getPublic()));
    return keys;
  }

  private Mono<String> requestCertificate(KeyPair keys) {
    ClientConfig bootstrap = ClientConfig.fromKubeconfig(bootstrapKubeconfig);
    if (bootstrap.certificateAuthority() == null) {
      return Mono.error(
          new IllegalStateException(
              "bootstrap kubeconfig "
                  + bootstrapKubeconfig
                  + " names no certificate-authority[-data]: the agent could not trust the server"));
    }
    ResourceClient<CertificateSigningRequest> csrs =
        new KubeClient(bootstrap)
            .resource(
                BuiltInResources.CERTIFICATE_SIGNING_REQUESTS, CertificateSigningRequest.class);
    String pem = CertificationRequests.pem(keys, user(), List.of(ClusterPki.NODES_GROUP));
    String name = requestName(keys.getPublic());
    CertificateSigningRequest request =
        new CertificateSigningRequestBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withRequest(CertificationRequests.specRequest(pem))
            .withSignerName(SigningRequests.KUBELET_CLIENT)
            .withUsages(USAGES)
            .endSpec()
            .build();
    log.info(
        "requesting a client certificate for {} from {} (CertificateSigningRequest {})",
        user(),
        bootstrap.server(),
        name);
    return csrs.create(request)
        .onErrorResume(AlreadyExistsException.class, e -> csrs.get(null, name))
        .retryWhen(untilRefused("posting CertificateSigningRequest " + name))
        .then(waitForCertificate(csrs, name));
  }

  // Read the request until it carries a certificate, or says Denied or Failed; a server that does
  // not answer is asked again, as the kubelet does, until the caller's timeout.
  private Mono<String> waitForCertificate(
      ResourceClient<CertificateSigningRequest> csrs, String name) {
    return csrs.get(null, name)
        .flatMap(csr -> issued(csr, name))
        .retryWhen(untilRefused("reading CertificateSigningRequest " + name))
        .repeatWhenEmpty(Integer.MAX_VALUE, ticks -> ticks.delayElements(pollInterval))
        .doOnNext(pem -> log.info("CertificateSigningRequest {} was approved and signed", name));
  }

  private static Mono<String> issued(CertificateSigningRequest csr, String name) {
    for (CertificateSigningRequestCondition c : SigningRequests.conditions(csr)) {
      if (SigningRequests.DENIED.equals(c.getType())
          || SigningRequests.FAILED.equals(c.getType())) {
        return Mono.error(
            new CertificateRequestRefusedException(
                "CertificateSigningRequest "
                    + name
                    + " is "
                    + c.getType()
                    + (c.getReason() == null ? "" : " (" + c.getReason() + ")")
                    + (c.getMessage() == null ? "" : ": " + c.getMessage())));
      }
    }
    String certificate = csr.getStatus() == null ? null : csr.getStatus().getCertificate();
    if (certificate == null || certificate.isBlank()) {
      return Mono.empty();
    }
    return Mono.just(
        new String(Base64.getMimeDecoder().decode(certificate), StandardCharsets.UTF_8));
  }

  // A refusal (a token the server does not accept, no right to ask, an invalid request) will not
  // change by asking again: it ends the join with the server's words. Anything else (the server
  // not up yet, a connection lost, 5xx) is tried again.
  private static Retry untilRefused(String what) {
    return Retry.fixedDelay(Long.MAX_VALUE, Duration.ofSeconds(1))
        .filter(e -> !refusal(e))
        .doBeforeRetry(
            s -> log.info("{} failed ({}); trying again", what, s.failure().getMessage()));
  }

  private static boolean refusal(Throwable e) {
    return e instanceof UnauthorizedException
        || e instanceof ForbiddenException
        || e instanceof InvalidException
        || e instanceof BadRequestException
        || e instanceof CertificateRequestRefusedException;
  }

  private Path writeKubeconfig(String certificatePem) {
    ClientConfig bootstrap = ClientConfig.fromKubeconfig(bootstrapKubeconfig);
    Path key = keyFile();
    String yaml =
        Kubeconfigs.withClientCertificate(
            bootstrap.server(),
            bootstrap.certificateAuthority(),
            certificatePem,
            Pem.read(key),
            user());
    Pem.writeSecret(kubeconfig, yaml);
    try {
      Files.deleteIfExists(key);
      Files.deleteIfExists(key.resolveSibling(key.getFileName() + ".pub"));
    } catch (java.io.IOException e) {
      log.warn("could not remove the pending key {}: {}", key, e.getMessage());
    }
    log.info("wrote kubeconfig {} for {}", kubeconfig, user());
    return kubeconfig;
  }

  /**
   * {@code node-csr-} and a digest of the key, the subject and the usages, as the kubelet names its
   * requests (which uses base64; hex keeps the name a lowercase DNS subdomain): the same key asks
   * under the same name.
   */
  String requestName(PublicKey key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(key.getEncoded());
      sha.update(
          ("|" + user() + "|" + ClusterPki.NODES_GROUP + "|" + USAGES)
              .getBytes(StandardCharsets.UTF_8));
      return "node-csr-" + java.util.HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The request was denied or failed: the agent cannot join with it. */
  public static final class CertificateRequestRefusedException extends RuntimeException {
    CertificateRequestRefusedException(String message) {
      super(message);
    }
  }
}
