package io.nauta.controllers.certificates;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * What Kubernetes' signers and approver require of a request, word for word as upstream's errors
 * ({@code ValidateKubeletClientCSR}, {@code ValidateKubeletServingCSR}, {@code
 * validAPIServerClientUsages}): a node agent's client request is exactly {@code O=system:nodes},
 * {@code CN=system:node:<name>}, no subject alternative names, and the usages client auth and
 * digital signature (key encipherment allowed); its serving request the same subject with DNS or IP
 * names and server auth instead; a user's client certificate may ask for client auth and those two
 * only.
 */
public final class SignerPolicies {

  public static final String NODES_GROUP = "system:nodes";
  public static final String NODE_PREFIX = "system:node:";

  private static final Set<String> KUBELET_USAGES =
      Set.of("digital signature", "key encipherment", "client auth");
  private static final Set<String> KUBELET_USAGES_NO_RSA =
      Set.of("digital signature", "client auth");

  private static final Set<String> SERVING_USAGES =
      Set.of("digital signature", "key encipherment", "server auth");
  private static final Set<String> SERVING_USAGES_NO_RSA =
      Set.of("digital signature", "server auth");

  private SignerPolicies() {}

  /** Why {@code request} is no node agent's client certificate request; empty when it is. */
  public static Optional<String> kubeletClientProblem(
      PKCS10CertificationRequest request, List<String> usages) {
    X500Name subject = request.getSubject();
    if (!values(subject, BCStyle.O).equals(List.of(NODES_GROUP))) {
      return Optional.of("subject organization is not system:nodes");
    }
    List<Integer> sanTypes = subjectAltNameTypes(request);
    if (sanTypes.contains(GeneralName.dNSName)) {
      return Optional.of("DNS subjectAltNames are not allowed");
    }
    if (sanTypes.contains(GeneralName.rfc822Name)) {
      return Optional.of("Email subjectAltNames are not allowed");
    }
    if (sanTypes.contains(GeneralName.iPAddress)) {
      return Optional.of("IP subjectAltNames are not allowed");
    }
    if (sanTypes.contains(GeneralName.uniformResourceIdentifier)) {
      return Optional.of("URI subjectAltNames are not allowed");
    }
    if (!commonName(request).startsWith(NODE_PREFIX)) {
      return Optional.of("subject common name does not begin with system:node:");
    }
    Set<String> asked = new HashSet<>(usages);
    if (!asked.equals(KUBELET_USAGES) && !asked.equals(KUBELET_USAGES_NO_RSA)) {
      return Optional.of("usages did not match [client auth digital signature key encipherment]");
    }
    return Optional.empty();
  }

  /**
   * Why {@code request} is no node agent's serving certificate request ({@code
   * ValidateKubeletServingCSR}, checked in upstream's order): exactly {@code O=system:nodes}, at
   * least one DNS or IP subject alternative name and no email or URI one, the usages server auth
   * and digital signature (key encipherment allowed), {@code CN=system:node:<name>}; empty when it
   * is.
   */
  public static Optional<String> kubeletServingProblem(
      PKCS10CertificationRequest request, List<String> usages) {
    if (!values(request.getSubject(), BCStyle.O).equals(List.of(NODES_GROUP))) {
      return Optional.of("subject organization is not system:nodes");
    }
    List<Integer> sanTypes = subjectAltNameTypes(request);
    if (!sanTypes.contains(GeneralName.dNSName) && !sanTypes.contains(GeneralName.iPAddress)) {
      return Optional.of("DNS or IP subjectAltName is required");
    }
    if (sanTypes.contains(GeneralName.rfc822Name)) {
      return Optional.of("Email subjectAltNames are not allowed");
    }
    if (sanTypes.contains(GeneralName.uniformResourceIdentifier)) {
      return Optional.of("URI subjectAltNames are not allowed");
    }
    Set<String> asked = new HashSet<>(usages);
    if (!asked.equals(SERVING_USAGES) && !asked.equals(SERVING_USAGES_NO_RSA)) {
      return Optional.of("usages did not match [digital signature key encipherment server auth]");
    }
    if (!commonName(request).startsWith(NODE_PREFIX)) {
      return Optional.of("subject common name does not begin with system:node:");
    }
    return Optional.empty();
  }

  /** Why {@code usages} do not fit a client certificate of the API server; empty when they do. */
  public static Optional<String> apiServerClientUsageProblem(List<String> usages) {
    boolean clientAuth = false;
    for (String u : usages) {
      switch (u) {
        case "digital signature", "key encipherment" -> {}
        case "client auth" -> clientAuth = true;
        default -> {
          return Optional.of("invalid usage for client certificate: " + u);
        }
      }
    }
    return clientAuth
        ? Optional.empty()
        : Optional.of("missing required usage for client certificate: client auth");
  }

  public static String commonName(PKCS10CertificationRequest request) {
    List<String> cns = values(request.getSubject(), BCStyle.CN);
    return cns.isEmpty() ? "" : cns.get(0);
  }

  private static List<String> values(
      X500Name name, org.bouncycastle.asn1.ASN1ObjectIdentifier oid) {
    List<String> out = new ArrayList<>();
    for (RDN rdn : name.getRDNs(oid)) {
      out.add(IETFUtils.valueToString(rdn.getFirst().getValue()));
    }
    return out;
  }

  private static List<Integer> subjectAltNameTypes(PKCS10CertificationRequest request) {
    return subjectAltNames(request).stream().map(GeneralName::getTagNo).toList();
  }

  /** The subject alternative names {@code request} asks for (its extension request). */
  static List<GeneralName> subjectAltNames(PKCS10CertificationRequest request) {
    List<GeneralName> all = new ArrayList<>();
    for (Attribute a : request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
      for (ASN1Encodable value : a.getAttributeValues()) {
        Extensions extensions = Extensions.getInstance(value);
        GeneralNames names =
            GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
        if (names != null) {
          all.addAll(List.of(names.getNames()));
        }
      }
    }
    return all;
  }
}
