package io.nauta.core.pki;

import java.time.Duration;
import java.util.List;

/**
 * What a leaf certificate says: the subject (CN the user or host, O the groups, as Kubernetes reads
 * client certificates), the names it serves (SANs), what it may be used for, and how long.
 */
public record CertificateRequest(
    String commonName,
    List<String> organizations,
    List<String> dnsNames,
    List<String> ipAddresses,
    boolean serverAuth,
    boolean clientAuth,
    Duration validity) {

  public CertificateRequest {
    organizations = List.copyOf(organizations);
    dnsNames = List.copyOf(dnsNames);
    ipAddresses = List.copyOf(ipAddresses);
  }

  /** A client certificate for user {@code commonName} in groups {@code organizations}. */
  public static CertificateRequest client(
      String commonName, List<String> organizations, Duration validity) {
    return new CertificateRequest(
        commonName, organizations, List.of(), List.of(), false, true, validity);
  }

  /** A serving certificate for the given SANs: IP literals become IP SANs, the rest DNS names. */
  public static CertificateRequest server(String commonName, List<String> sans, Duration validity) {
    List<String> ips = sans.stream().filter(CertificateAuthority::isIpAddress).toList();
    List<String> dns = sans.stream().filter(s -> !CertificateAuthority.isIpAddress(s)).toList();
    return new CertificateRequest(commonName, List.of(), dns, ips, true, false, validity);
  }
}
