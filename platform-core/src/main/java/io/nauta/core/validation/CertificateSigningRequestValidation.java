package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestSpec;
import io.nauta.core.certificates.SigningRequests;
import io.nauta.core.errors.FieldError;
import io.nauta.core.pki.Pem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code certificates.k8s.io/v1} CertificateSigningRequests, as Kubernetes' {@code
 * pkg/apis/certificates/validation} checks them: a PKCS#10 request whose signature verifies, known
 * usages, a signer name of the form {@code example.com/signer-name}, at least 10 minutes asked for,
 * well-formed conditions (Approved and Denied never together) and a certificate that is PEM.
 *
 * <p>{@link #validateUpdate} is the rule of the {@code status} subresource (and of the main
 * resource, whose updates cannot change spec or status anyway): Approved and Denied may not be
 * added, changed or removed, Failed not removed, and a certificate once set not replaced. {@link
 * #validateApprovalUpdate} is the rule of the {@code approval} subresource: the certificate is left
 * alone and the approval conditions may be added.
 */
public final class CertificateSigningRequestValidation
    implements Validator<CertificateSigningRequest> {

  /** Kubernetes' {@code allValidUsages}, in its sorted order for the message. */
  static final List<String> USAGES =
      List.copyOf(
          new TreeSet<>(
              List.of(
                  "signing",
                  "digital signature",
                  "content commitment",
                  "key encipherment",
                  "key agreement",
                  "data encipherment",
                  "cert sign",
                  "crl sign",
                  "encipher only",
                  "decipher only",
                  "any",
                  "server auth",
                  "client auth",
                  "code signing",
                  "email protection",
                  "s/mime",
                  "ipsec end system",
                  "ipsec tunnel",
                  "ipsec user",
                  "timestamping",
                  "ocsp signing",
                  "microsoft sgc",
                  "netscape sgc")));

  private static final Set<String> TRUE_ONLY =
      Set.of(SigningRequests.APPROVED, SigningRequests.DENIED, SigningRequests.FAILED);

  @Override
  public List<FieldError> validate(CertificateSigningRequest csr) {
    List<FieldError> errs =
        new ArrayList<>(
            MetadataValidation.validate(csr.getMetadata(), NameRule.PATH_SEGMENT, false));
    CertificateSigningRequestSpec spec =
        csr.getSpec() == null ? new CertificateSigningRequestSpec() : csr.getSpec();
    try {
      SigningRequests.checkSignature(SigningRequests.parse(spec.getRequest()));
    } catch (IllegalArgumentException e) {
      errs.add(FieldError.invalid("spec.request", spec.getRequest(), e.getMessage()));
    }
    List<String> usages = MetadataValidation.orEmpty(spec.getUsages());
    if (usages.isEmpty()) {
      errs.add(FieldError.required("spec.usages", ""));
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < usages.size(); i++) {
      String usage = usages.get(i);
      if (!USAGES.contains(usage)) {
        errs.add(
            FieldError.notSupported(
                "spec.usages[" + i + "]", usage, EnumValidation.supported(USAGES)));
      }
      if (!seen.add(usage)) {
        errs.add(FieldError.duplicate("spec.usages[" + i + "]", usage));
      }
    }
    errs.addAll(signerName("spec.signerName", spec.getSignerName()));
    if (spec.getExpirationSeconds() != null && spec.getExpirationSeconds() < 600) {
      errs.add(
          FieldError.invalid(
              "spec.expirationSeconds",
              spec.getExpirationSeconds(),
              "may not specify a duration less than 600 seconds (10 minutes)"));
    }
    errs.addAll(conditions(SigningRequests.conditions(csr)));
    String certificate = csr.getStatus() == null ? null : csr.getStatus().getCertificate();
    String problem = certificateProblem(certificate);
    if (problem != null) {
      errs.add(FieldError.invalid("status.certificate", "<certificate data>", problem));
    }
    return errs;
  }

  @Override
  public List<FieldError> validateUpdate(
      CertificateSigningRequest csr, CertificateSigningRequest old) {
    List<FieldError> errs = updateCommon(csr, old);
    for (String type : List.of(SigningRequests.APPROVED, SigningRequests.DENIED)) {
      List<CertificateSigningRequestCondition> was = ofType(old, type);
      List<CertificateSigningRequestCondition> now = ofType(csr, type);
      if (now.size() > was.size()) {
        errs.add(
            FieldError.forbidden(
                "status.conditions", "updates may not add a condition of type \"" + type + "\""));
      } else if (now.size() == was.size() && !now.equals(was)) {
        errs.add(
            FieldError.forbidden(
                "status.conditions",
                "updates may not modify a condition of type \"" + type + "\""));
      }
    }
    String was = certificateOf(old);
    String now = certificateOf(csr);
    if (!now.equals(was) && !was.isEmpty()) {
      errs.add(
          FieldError.forbidden(
              "status.certificate", "updates may not modify existing certificate content"));
    }
    return errs;
  }

  /** The rule of the {@code approval} subresource: approval conditions may come, nothing else. */
  public List<FieldError> validateApprovalUpdate(
      CertificateSigningRequest csr, CertificateSigningRequest old) {
    List<FieldError> errs = updateCommon(csr, old);
    if (!certificateOf(csr).equals(certificateOf(old))) {
      errs.add(
          FieldError.forbidden("status.certificate", "updates may not set certificate content"));
    }
    return errs;
  }

  private List<FieldError> updateCommon(
      CertificateSigningRequest csr, CertificateSigningRequest old) {
    List<FieldError> errs = new ArrayList<>(validate(csr));
    if (bothApprovedAndDenied(old)) {
      // Tolerated when already stored so, as Kubernetes does for compatibility.
      errs.removeIf(e -> e.message().contains("mutually exclusive"));
    }
    errs.addAll(MetadataValidation.validateUpdate(csr.getMetadata(), old.getMetadata()));
    for (String type :
        List.of(SigningRequests.APPROVED, SigningRequests.DENIED, SigningRequests.FAILED)) {
      if (ofType(csr, type).size() < ofType(old, type).size()) {
        errs.add(
            FieldError.forbidden(
                "status.conditions",
                "updates may not remove a condition of type \"" + type + "\""));
      }
    }
    return errs;
  }

  private static boolean bothApprovedAndDenied(CertificateSigningRequest csr) {
    return SigningRequests.hasCondition(csr, SigningRequests.APPROVED)
        && SigningRequests.hasCondition(csr, SigningRequests.DENIED);
  }

  private static List<CertificateSigningRequestCondition> ofType(
      CertificateSigningRequest csr, String type) {
    return SigningRequests.conditions(csr).stream().filter(c -> type.equals(c.getType())).toList();
  }

  private static String certificateOf(CertificateSigningRequest csr) {
    return csr.getStatus() == null || csr.getStatus().getCertificate() == null
        ? ""
        : csr.getStatus().getCertificate();
  }

  private static List<FieldError> conditions(List<CertificateSigningRequestCondition> conditions) {
    List<FieldError> errs = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    boolean approved = false;
    boolean denied = false;
    for (int i = 0; i < conditions.size(); i++) {
      CertificateSigningRequestCondition c = conditions.get(i);
      String field = "status.conditions[" + i + "]";
      String type = Objects.toString(c.getType(), "");
      if (type.isEmpty()) {
        errs.add(FieldError.required(field + ".type", ""));
      }
      List<String> allowed =
          TRUE_ONLY.contains(type) ? List.of("True") : List.of("False", "True", "Unknown");
      String status = Objects.toString(c.getStatus(), "");
      if (status.isEmpty()) {
        errs.add(FieldError.required(field + ".status", ""));
      } else if (!allowed.contains(status)) {
        errs.add(
            FieldError.notSupported(field + ".status", status, EnumValidation.supported(allowed)));
      }
      if (type.equals(SigningRequests.APPROVED)) {
        approved = true;
        if (denied) {
          errs.add(mutuallyExclusive(field, type));
        }
      } else if (type.equals(SigningRequests.DENIED)) {
        denied = true;
        if (approved) {
          errs.add(mutuallyExclusive(field, type));
        }
      }
      if (!seen.add(type)) {
        errs.add(FieldError.duplicate(field + ".type", type));
      }
    }
    return errs;
  }

  private static FieldError mutuallyExclusive(String field, String type) {
    return FieldError.invalid(
        field + ".type", type, "Approved and Denied conditions are mutually exclusive");
  }

  /** Kubernetes' {@code validateCertificate}: empty, or only CERTIFICATE PEM blocks that parse. */
  private static String certificateProblem(String base64) {
    if (base64 == null || base64.isEmpty()) {
      return null;
    }
    String pem;
    try {
      pem = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "illegal base64 data";
    }
    if (!pem.contains("-----BEGIN ")) {
      return "must contain at least one CERTIFICATE PEM block";
    }
    for (String line : pem.split("\n")) {
      if (line.startsWith("-----BEGIN ") && !line.strip().equals("-----BEGIN CERTIFICATE-----")) {
        return "only CERTIFICATE PEM blocks are allowed, found \""
            + line.strip().replace("-----BEGIN ", "").replace("-----", "")
            + "\"";
      }
    }
    try {
      if (Pem.parseCertificates(pem).isEmpty()) {
        return "must contain at least one CERTIFICATE PEM block";
      }
    } catch (RuntimeException e) {
      return e.getMessage();
    }
    return null;
  }

  /** Kubernetes' {@code ValidateSignerName}: {@code <DNS domain with a dot>/<DNS labels>}. */
  static List<FieldError> signerName(String field, String signerName) {
    List<FieldError> errs = new ArrayList<>();
    if (signerName == null || signerName.isEmpty()) {
      errs.add(FieldError.required(field, ""));
      return errs;
    }
    String[] segments = signerName.split("/", -1);
    if (segments.length != 2) {
      errs.add(
          FieldError.invalid(
              field,
              signerName,
              "must be a fully qualified domain and path of the form 'example.com/signer-name'"));
      return errs;
    }
    String domain = segments[0];
    String path = segments[1];
    if (domain.length() > NameValidation.DNS1123_SUBDOMAIN_MAX_LENGTH) {
      errs.add(MetadataValidation.tooLong(field, NameValidation.DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    String[] labels = domain.split("\\.", -1);
    errs.addAll(labels(field, domain, labels));
    if (labels.length < 2) {
      errs.add(
          FieldError.invalid(
              field, domain, "should be a domain with at least two segments separated by dots"));
    }
    int maxPath = NameValidation.DNS1123_SUBDOMAIN_MAX_LENGTH - 1 - domain.length();
    if (path.length() > maxPath) {
      errs.add(MetadataValidation.tooLong(field, maxPath));
    }
    errs.addAll(labels(field, path, path.split("\\.", -1)));
    return errs;
  }

  // Stops at the first bad label: the rest would repeat the same complaint.
  private static List<FieldError> labels(String field, String segment, String[] labels) {
    for (String label : labels) {
      List<String> problems = NameValidation.dns1123Label(label);
      if (!problems.isEmpty()) {
        return problems.stream()
            .map(
                p -> FieldError.invalid(field, segment, "validating label \"" + label + "\": " + p))
            .toList();
      }
    }
    return List.of();
  }
}
