package io.nauta.controllers.certificates;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestConditionBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestSpec;
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
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.workqueue.Result;
import java.util.List;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Kubernetes' csrapproving controller: a pending {@code
 * kubernetes.io/kube-apiserver-client-kubelet} CSR that is exactly a node's client certificate
 * request is approved when a SubjectAccessReview says its requester may {@code create} {@code
 * certificatesigningrequests/selfnodeclient} (a node renewing its own identity) or {@code
 * certificatesigningrequests/nodeclient} (a bootstrapper joining a node: the bootstrap policy
 * grants that to {@code system:bootstrappers}). Anything else waits for a person's {@code kubectl
 * certificate approve}; the approver never denies.
 *
 * <p>Beyond Kubernetes, which leaves {@code kubernetes.io/kubelet-serving} requests to a person (or
 * an add-on approver), Nauta approves a node's serving certificate as k3s does, so that a node
 * joins with a token alone: the request must be a kubelet serving request, made by exactly the node
 * it names ({@code spec.username} is its {@code CN=system:node:<name>}, in group {@code
 * system:nodes}), and a SubjectAccessReview must say that node may {@code create} {@code
 * certificatesigningrequests/selfnodeserver} (the recognizer Kubernetes once had; the bootstrap
 * policy grants it to {@code system:nodes}).
 */
@Component
public class CsrApprovingController implements ManagedController {

  static final String REASON = "AutoApproved";

  private final SharedInformer<CertificateSigningRequest> csrs;
  private final ResourceClient<CertificateSigningRequest> client;
  private final ResourceClient<SubjectAccessReview> reviews;
  private final Controller controller;

  public CsrApprovingController(
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
    this.reviews =
        kube.resource(BuiltInResources.SUBJECT_ACCESS_REVIEWS, SubjectAccessReview.class);
    this.controller =
        Controller.builder("csrapproving")
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

  /** One way a request may be approved: its subresource, and whether it applies. */
  private record Recognizer(String subresource, String message, boolean applies) {}

  Mono<Result> reconcile(String name) {
    CertificateSigningRequest csr = csrs.store().get(name).orElse(null);
    if (csr == null
        || SigningRequests.hasCondition(csr, SigningRequests.APPROVED)
        || SigningRequests.hasCondition(csr, SigningRequests.DENIED)) {
      return Mono.just(Result.done());
    }
    List<Recognizer> recognizers =
        switch (csr.getSpec().getSignerName()) {
          case SigningRequests.KUBELET_CLIENT -> clientRecognizers(csr);
          case SigningRequests.KUBELET_SERVING -> servingRecognizers(csr);
          default -> List.of();
        };
    if (recognizers.isEmpty()) {
      return Mono.just(Result.done()); // for a person to decide
    }
    return firstAllowed(csr, recognizers, 0)
        .flatMap(message -> client.updateApproval(approved(csr, message)))
        .onErrorResume(NotFoundException.class, e -> Mono.empty())
        .thenReturn(Result.done());
  }

  private static List<Recognizer> clientRecognizers(CertificateSigningRequest csr) {
    JcaPKCS10CertificationRequest request = SigningRequests.parse(csr.getSpec().getRequest());
    if (SignerPolicies.kubeletClientProblem(request, usages(csr)).isPresent()) {
      return List.of(); // not a node client request
    }
    boolean self = SignerPolicies.commonName(request).equals(csr.getSpec().getUsername());
    return List.of(
        new Recognizer(
            "selfnodeclient",
            "Auto approving self kubelet client certificate after SubjectAccessReview.",
            self),
        new Recognizer(
            "nodeclient",
            "Auto approving kubelet client certificate after SubjectAccessReview.",
            true));
  }

  private static List<Recognizer> servingRecognizers(CertificateSigningRequest csr) {
    JcaPKCS10CertificationRequest request = SigningRequests.parse(csr.getSpec().getRequest());
    if (SignerPolicies.kubeletServingProblem(request, usages(csr)).isPresent()) {
      return List.of(); // not a node serving request: the signer will fail it once approved
    }
    List<String> groups = csr.getSpec().getGroups() == null ? List.of() : csr.getSpec().getGroups();
    boolean self =
        SignerPolicies.commonName(request).equals(csr.getSpec().getUsername())
            && groups.contains(SignerPolicies.NODES_GROUP);
    return self
        ? List.of(
            new Recognizer(
                "selfnodeserver",
                "Auto approving self kubelet serving certificate after SubjectAccessReview.",
                true))
        : List.of();
  }

  private static List<String> usages(CertificateSigningRequest csr) {
    return csr.getSpec().getUsages() == null ? List.of() : csr.getSpec().getUsages();
  }

  // In upstream's order: the first recognizer that applies and is allowed approves.
  private Mono<String> firstAllowed(
      CertificateSigningRequest csr, List<Recognizer> recognizers, int i) {
    if (i == recognizers.size()) {
      return Mono.empty();
    }
    Recognizer r = recognizers.get(i);
    if (!r.applies()) {
      return firstAllowed(csr, recognizers, i + 1);
    }
    return reviews
        .create(review(csr.getSpec(), r.subresource()))
        .flatMap(
            answer ->
                answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed())
                    ? Mono.just(r.message())
                    : firstAllowed(csr, recognizers, i + 1));
  }

  private static SubjectAccessReview review(CertificateSigningRequestSpec spec, String sub) {
    return new SubjectAccessReviewBuilder()
        .withNewMetadata()
        .endMetadata()
        .withNewSpec()
        .withUser(spec.getUsername())
        .withUid(spec.getUid())
        .withGroups(spec.getGroups())
        .withExtra(spec.getExtra())
        .withResourceAttributes(
            new ResourceAttributesBuilder()
                .withGroup(BuiltInResources.CERTIFICATES_GROUP)
                .withResource(BuiltInResources.CERTIFICATE_SIGNING_REQUESTS.plural())
                .withVerb("create")
                .withSubresource(sub)
                .build())
        .endSpec()
        .build();
  }

  private static CertificateSigningRequest approved(CertificateSigningRequest csr, String message) {
    return new CertificateSigningRequestBuilder(csr)
        .editOrNewStatus()
        .addToConditions(
            new CertificateSigningRequestConditionBuilder()
                .withType(SigningRequests.APPROVED)
                .withStatus("True")
                .withReason(REASON)
                .withMessage(message)
                .build())
        .endStatus()
        .build();
  }
}
