package io.nauta.controllers.certificates;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestConditionBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.controllers.app.ControllersProperties;
import io.nauta.controllers.app.ManagedController;
import io.nauta.core.certificates.SigningRequests;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.controller.Controller;
import io.nauta.core.errors.NotFoundException;
import io.nauta.core.informer.InformerFactory;
import io.nauta.core.informer.SharedInformer;
import io.nauta.core.pki.Pem;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.workqueue.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Kubernetes' csrsigning controller for {@code kubernetes.io/kube-apiserver-client}, {@code
 * kubernetes.io/kube-apiserver-client-kubelet} (both with the CA of {@code
 * nauta.controllers.cluster-signing-cert-file}, the client CA) and {@code
 * kubernetes.io/kubelet-serving} (with the CA of {@code
 * nauta.controllers.cluster-signing-kubelet-serving-cert-file}, the server CA): an approved CSR of
 * a configured signer without a certificate gets one ({@link ClusterSigner}), written to {@code
 * status.certificate}; a request the signer refuses (a node request that is not exactly a node's
 * identity, a user certificate asking for server auth) gets the {@code Failed} condition instead.
 * CSRs of other signers are left to their signers. Runs when either CA is configured.
 */
@Component
@ConditionalOnExpression(
    "'${nauta.controllers.cluster-signing-cert-file:}' != ''"
        + " or '${nauta.controllers.cluster-signing-kubelet-serving-cert-file:}' != ''")
public class CsrSigningController implements ManagedController {

  private final SharedInformer<CertificateSigningRequest> csrs;
  private final ResourceClient<CertificateSigningRequest> client;
  private final Map<String, ClusterSigner> signers = new HashMap<>();
  private final Controller controller;

  public CsrSigningController(
      InformerFactory informers,
      KubeClient kube,
      ControllersProperties props,
      MeterRegistry meters) {
    this.csrs =
        informers.informer(
            BuiltInResources.CERTIFICATE_SIGNING_REQUESTS, CertificateSigningRequest.class);
    this.client =
        kube.resource(
            BuiltInResources.CERTIFICATE_SIGNING_REQUESTS, CertificateSigningRequest.class);
    if (!props.clusterSigningCertFile().isBlank()) {
      ClusterSigner client =
          ClusterSigner.fromFiles(
              Path.of(props.clusterSigningCertFile()),
              Path.of(props.clusterSigningKeyFile()),
              props.clusterSigningDuration());
      signers.put(SigningRequests.KUBE_APISERVER_CLIENT, client);
      signers.put(SigningRequests.KUBELET_CLIENT, client);
    }
    if (!props.clusterSigningKubeletServingCertFile().isBlank()) {
      signers.put(
          SigningRequests.KUBELET_SERVING,
          ClusterSigner.fromFiles(
              Path.of(props.clusterSigningKubeletServingCertFile()),
              Path.of(props.clusterSigningKubeletServingKeyFile()),
              props.clusterSigningDuration()));
    }
    this.controller =
        Controller.builder("csrsigning")
            .primary(csrs)
            .reconcile(this::reconcile)
            .workers(props.workers())
            .meterRegistry(meters)
            .build();
  }

  @Override
  public Controller controller() {
    return controller;
  }

  Mono<Result> reconcile(String name) {
    CertificateSigningRequest csr = csrs.store().get(name).orElse(null);
    if (csr == null
        || !SigningRequests.approved(csr)
        || (csr.getStatus().getCertificate() != null
            && !csr.getStatus().getCertificate().isEmpty())) {
      return Mono.just(Result.done());
    }
    String signerName = csr.getSpec().getSignerName();
    ClusterSigner signer = signers.get(signerName);
    if (signer == null) {
      return Mono.just(Result.done()); // another signer's request
    }
    List<String> usages = csr.getSpec().getUsages() == null ? List.of() : csr.getSpec().getUsages();
    JcaPKCS10CertificationRequest request = SigningRequests.parse(csr.getSpec().getRequest());
    Optional<String> problem =
        switch (signerName) {
          case SigningRequests.KUBELET_CLIENT ->
              SignerPolicies.kubeletClientProblem(request, usages);
          case SigningRequests.KUBELET_SERVING ->
              SignerPolicies.kubeletServingProblem(request, usages);
          default -> SignerPolicies.apiServerClientUsageProblem(usages);
        };
    CertificateSigningRequest updated =
        problem.map(why -> failed(csr, why)).orElseGet(() -> issued(csr, signer, request, usages));
    // A conflict (someone wrote in between) is retried by the queue from the newer cache.
    return client
        .updateStatus(updated)
        .onErrorResume(NotFoundException.class, e -> Mono.empty())
        .thenReturn(Result.done());
  }

  private static CertificateSigningRequest issued(
      CertificateSigningRequest csr,
      ClusterSigner signer,
      JcaPKCS10CertificationRequest request,
      List<String> usages) {
    String pem =
        Pem.certificate(
            signer.sign(request, usages, csr.getSpec().getExpirationSeconds(), Instant.now()));
    return new CertificateSigningRequestBuilder(csr)
        .editStatus()
        .withCertificate(Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8)))
        .endStatus()
        .build();
  }

  private static CertificateSigningRequest failed(CertificateSigningRequest csr, String why) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    return new CertificateSigningRequestBuilder(csr)
        .editStatus()
        .addToConditions(
            new CertificateSigningRequestConditionBuilder()
                .withType(SigningRequests.FAILED)
                .withStatus("True")
                .withReason("SignerValidationFailure")
                .withMessage(why)
                .withLastUpdateTime(now)
                .build())
        .endStatus()
        .build();
  }
}
