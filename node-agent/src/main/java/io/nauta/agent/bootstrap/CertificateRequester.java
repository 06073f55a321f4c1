package io.nauta.agent.bootstrap;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.nauta.core.certificates.CertificationRequests;
import io.nauta.core.certificates.SigningRequests;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.BadRequestException;
import io.nauta.core.errors.ForbiddenException;
import io.nauta.core.errors.InvalidException;
import io.nauta.core.errors.UnauthorizedException;
import io.nauta.core.registry.BuiltInResources;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Asks for a certificate as client-go's {@code csr.RequestCertificate} and {@code
 * WaitForCertificate} do: posts a CertificateSigningRequest (or finds the one it posted before
 * under the same name), then reads it until it carries the signed certificate, or says Denied or
 * Failed.
 */
final class CertificateRequester {

  private static final Logger log = LoggerFactory.getLogger(CertificateRequester.class);

  private final ResourceClient<CertificateSigningRequest> csrs;
  private final Duration pollInterval;

  CertificateRequester(KubeClient client, Duration pollInterval) {
    this.csrs =
        client.resource(
            BuiltInResources.CERTIFICATE_SIGNING_REQUESTS, CertificateSigningRequest.class);
    this.pollInterval = pollInterval;
  }

  /**
   * {@code prefix} and a digest of the key, the request's subject and usages, as the kubelet names
   * its requests (it uses base64; hex keeps the name a lowercase DNS subdomain): the same key asks
   * under the same name.
   */
  static String requestName(String prefix, PublicKey key, String subject, List<String> usages) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(key.getEncoded());
      sha.update(("|" + subject + "|" + usages).getBytes(StandardCharsets.UTF_8));
      return prefix + HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The PEM of the certificate issued for {@code requestPem}, once it is. */
  Mono<String> certificate(String name, String requestPem, String signer, List<String> usages) {
    CertificateSigningRequest request =
        new CertificateSigningRequestBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withRequest(CertificationRequests.specRequest(requestPem))
            .withSignerName(signer)
            .withUsages(usages)
            .endSpec()
            .build();
    return csrs.create(request)
        .onErrorResume(AlreadyExistsException.class, e -> csrs.get(null, name))
        .retryWhen(untilRefused("posting CertificateSigningRequest " + name))
        .then(waitForCertificate(name));
  }

  // A server that does not answer is asked again, as the kubelet does, until the caller's timeout.
  private Mono<String> waitForCertificate(String name) {
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
  // change by asking again: it ends the request with the server's words. Anything else (the server
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

  /** The request was denied or failed: no certificate will come of it. */
  static final class CertificateRequestRefusedException extends RuntimeException {
    CertificateRequestRefusedException(String message) {
      super(message);
    }
  }
}
