package io.nauta.core.pki;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * The cluster's PKI under one directory, made on first start and kept fresh on every start, as
 * k3s's server does: a server CA (signs serving certificates), a client CA (signs the client
 * certificates the API server accepts), the service-account signing key pair, the API server's
 * serving certificate, a client certificate and kubeconfig per component and for the admin, and a
 * serving certificate per component's own port.
 *
 * <p>CAs are valid 10 years and made once. Leaf certificates are valid 1 year and made again when
 * missing, when fewer than 120 days remain, when no longer signed by the CA on disk, or when what
 * they should say changed (a new SAN, another node name). Private keys and kubeconfigs are mode
 * 600. Kubeconfigs are rewritten on every start, since the server URL may change.
 */
public final class ClusterPki {

  public static final Duration CA_VALIDITY = Duration.ofDays(3650);
  public static final Duration LEAF_VALIDITY = Duration.ofDays(365);
  public static final Duration RENEW_BEFORE = Duration.ofDays(120);

  public static final String ADMIN_USER = "nauta-admin";
  public static final String MASTERS_GROUP = "system:masters";
  public static final String SCHEDULER_USER = "system:kube-scheduler";
  public static final String CONTROLLER_MANAGER_USER = "system:kube-controller-manager";
  public static final String NODES_GROUP = "system:nodes";

  /**
   * The cluster DNS server (module cluster-dns): bound to {@code system:coredns}, CoreDNS's role
   * (reading Services, Endpoints, Pods, Namespaces), and in {@code kube-system} to the Role that
   * lets it keep the {@code kube-dns} Service and its Endpoints.
   */
  public static final String CLUSTER_DNS_USER = "nauta:cluster-dns";

  /**
   * The ingress controller (module ingress-controller): bound to {@code
   * system:nauta:ingress-controller} (reading Ingresses, IngressClasses, Services, Endpoints and
   * Secrets; writing Ingress status and Events).
   */
  public static final String INGRESS_CONTROLLER_USER = "nauta:ingress-controller";

  /**
   * The API server's user when it calls node agents (logs), as kubeadm's {@code
   * apiserver-kubelet-client} certificate: bound to {@code system:kubelet-api-admin}.
   */
  public static final String KUBELET_CLIENT_USER = "kube-apiserver-kubelet-client";

  /**
   * The agent that runs several simulated nodes ({@code nauta.agent.nodes} above 1, the scale
   * tests): it cannot be one {@code system:node:<name>}, so it is a user of its own (the Node
   * authorizer and NodeRestriction apply only to users named {@code system:node:<name>}, so never
   * to it), bound by RBAC to the {@code system:node} ClusterRole: every node's permissions, for
   * every node. It is in {@code system:nodes}, so that priority and fairness classifies its
   * requests as nodes' ({@code system-node-high}, {@code system-nodes}) and the audit policy treats
   * them as nodes' status reports: at 1,000 simulated nodes they were the largest flow in {@code
   * global-default}.
   */
  public static final String NODE_SIMULATOR_USER = "nauta:node-simulator";

  /**
   * What the PKI must cover.
   *
   * @param serverUrl the API server URL written into every kubeconfig; null writes none (yet)
   * @param servingSans extra names of the API server's serving certificate, besides 127.0.0.1,
   *     localhost and the {@code kubernetes} Service names (the host name, the Service's cluster
   *     IP)
   * @param nodeName the name the node agent's client certificate is for ({@code
   *     system:node:<name>})
   * @param nodeAddresses the addresses the API server reaches this host's node agent at besides
   *     127.0.0.1 (its node's InternalIP when other hosts' nodes are to reach it): names of the
   *     agent's serving certificate, which the API server checks for {@code logs} and {@code exec}
   */
  public record Settings(
      String serverUrl, List<String> servingSans, String nodeName, List<String> nodeAddresses) {

    public Settings(String serverUrl, List<String> servingSans, String nodeName) {
      this(serverUrl, servingSans, nodeName, List.of());
    }
  }

  /** One identity: its file stem, its certificate's subject. */
  private record Identity(String file, String user, List<String> groups) {}

  // A null user is the node agent's, system:node:<node name>.
  private static final List<Identity> IDENTITIES =
      List.of(
          new Identity("admin", ADMIN_USER, List.of(MASTERS_GROUP)),
          new Identity("scheduler", SCHEDULER_USER, List.of()),
          new Identity("controller-manager", CONTROLLER_MANAGER_USER, List.of()),
          new Identity("cluster-dns", CLUSTER_DNS_USER, List.of()),
          new Identity("ingress-controller", INGRESS_CONTROLLER_USER, List.of()),
          new Identity("agent", null, List.of(NODES_GROUP)),
          new Identity("node-simulator", NODE_SIMULATOR_USER, List.of(NODES_GROUP)));

  private final Path dir;
  private final List<String> changed = new ArrayList<>();

  private ClusterPki(Path dir) {
    this.dir = dir;
  }

  /** Creates what is missing or due under {@code dir} and returns the PKI. */
  public static ClusterPki ensure(Path dir, Settings settings, Instant now) {
    ClusterPki pki = new ClusterPki(dir);
    pki.ensureAll(settings, now);
    return pki;
  }

  private void ensureAll(Settings settings, Instant now) {
    CertificateAuthority serverCa = ensureCa("server-ca", "nauta-server-ca", now);
    CertificateAuthority clientCa = ensureCa("client-ca", "nauta-client-ca", now);
    ensureServiceAccountKey();

    Set<String> sans = new LinkedHashSet<>(List.of("127.0.0.1", "localhost"));
    sans.addAll(settings.servingSans());
    sans.addAll(
        List.of(
            "kubernetes",
            "kubernetes.default",
            "kubernetes.default.svc",
            "kubernetes.default.svc.cluster.local"));
    ensureLeaf(
        serverCa,
        "apiserver",
        CertificateRequest.server("kube-apiserver", List.copyOf(sans), LEAF_VALIDITY),
        now);
    // The components' own ports (health, metrics, an agent's logs) are reached on this machine.
    List<String> localSans = new ArrayList<>(List.of("127.0.0.1", "localhost"));
    settings.servingSans().stream()
        .filter(s -> !CertificateAuthority.isIpAddress(s))
        .forEach(localSans::add);
    for (String component :
        List.of("scheduler", "controller-manager", "agent", "cluster-dns", "ingress-controller")) {
      List<String> names = localSans;
      if (component.equals("agent") && !settings.nodeAddresses().isEmpty()) {
        Set<String> agentSans = new LinkedHashSet<>(localSans);
        agentSans.addAll(settings.nodeAddresses());
        names = List.copyOf(agentSans);
      }
      ensureLeaf(
          serverCa,
          component + "-serving",
          CertificateRequest.server(component, names, LEAF_VALIDITY),
          now);
    }

    for (Identity id : IDENTITIES) {
      String user = id.user() != null ? id.user() : "system:node:" + settings.nodeName();
      ensureLeaf(
          clientCa,
          id.file() + "-client",
          CertificateRequest.client(user, id.groups(), LEAF_VALIDITY),
          now);
    }
    // The API server's own client certificate towards agents; no kubeconfig: it is not a client of
    // the API server.
    ensureLeaf(
        clientCa,
        "apiserver-kubelet-client",
        CertificateRequest.client(KUBELET_CLIENT_USER, List.of(), LEAF_VALIDITY),
        now);
    if (settings.serverUrl() != null) {
      writeKubeconfigs(settings.serverUrl());
    }
  }

  /**
   * (Re)writes the admin's and every component's kubeconfig for {@code serverUrl}, with the server
   * CA and the identity's client certificate embedded.
   */
  public void writeKubeconfigs(String serverUrl) {
    String caData = Pem.read(serverCaCertificate());
    for (Identity id : IDENTITIES) {
      String certPem = Pem.read(dir.resolve(id.file() + "-client.crt"));
      String user = commonName(Pem.parseCertificate(certPem).getSubjectX500Principal());
      Pem.writeSecret(
          kubeconfig(id.file()),
          Kubeconfigs.withClientCertificate(
              serverUrl, caData, certPem, Pem.read(dir.resolve(id.file() + "-client.key")), user));
    }
  }

  public Path dir() {
    return dir;
  }

  /** What this start created or renewed (file stems), for the log. */
  public List<String> changed() {
    return List.copyOf(changed);
  }

  public Path serverCaCertificate() {
    return dir.resolve("server-ca.crt");
  }

  public Path clientCaCertificate() {
    return dir.resolve("client-ca.crt");
  }

  public Path clientCaKey() {
    return dir.resolve("client-ca.key");
  }

  public Path apiserverCertificate() {
    return dir.resolve("apiserver.crt");
  }

  public Path apiserverKey() {
    return dir.resolve("apiserver.key");
  }

  /** The API server's client certificate for calls to node agents. */
  public Path apiserverKubeletClientCertificate() {
    return dir.resolve("apiserver-kubelet-client.crt");
  }

  public Path apiserverKubeletClientKey() {
    return dir.resolve("apiserver-kubelet-client.key");
  }

  public Path serviceAccountKey() {
    return dir.resolve("service-account.key");
  }

  public Path serviceAccountPublicKey() {
    return dir.resolve("service-account.pub");
  }

  /**
   * {@code admin}, {@code scheduler}, {@code controller-manager}, {@code agent} (one node) or
   * {@code node-simulator} (an agent of several simulated nodes).
   */
  public Path kubeconfig(String identity) {
    return dir.resolve(identity + ".kubeconfig");
  }

  /** The serving certificate of {@code scheduler}, {@code controller-manager} or {@code agent}. */
  public Path servingCertificate(String component) {
    return dir.resolve(component + "-serving.crt");
  }

  public Path servingKey(String component) {
    return dir.resolve(component + "-serving.key");
  }

  private CertificateAuthority ensureCa(String stem, String commonName, Instant now) {
    Path crt = dir.resolve(stem + ".crt");
    Path key = dir.resolve(stem + ".key");
    if (Files.exists(crt) && Files.exists(key)) {
      return new CertificateAuthority(
          Pem.parseCertificate(Pem.read(crt)), Pem.parsePrivateKey(Pem.read(key)));
    }
    CertificateAuthority ca = CertificateAuthority.create(commonName, CA_VALIDITY, now);
    Pem.writeSecret(key, Pem.privateKey(ca.key()));
    Pem.writePublic(crt, Pem.certificate(ca.certificate()));
    changed.add(stem);
    return ca;
  }

  // RSA 2048, the kind of key Kubernetes' --service-account-key-file usually holds (RS256 JWTs).
  private void ensureServiceAccountKey() {
    if (Files.exists(serviceAccountKey()) && Files.exists(serviceAccountPublicKey())) {
      return;
    }
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair keys = generator.generateKeyPair();
      Pem.writeSecret(serviceAccountKey(), Pem.privateKey(keys.getPrivate()));
      Pem.writePublic(serviceAccountPublicKey(), Pem.publicKey(keys.getPublic()));
      changed.add("service-account");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private IssuedCertificate ensureLeaf(
      CertificateAuthority ca, String stem, CertificateRequest request, Instant now) {
    Path crt = dir.resolve(stem + ".crt");
    Path key = dir.resolve(stem + ".key");
    if (Files.exists(crt) && Files.exists(key)) {
      X509Certificate existing = Pem.parseCertificate(Pem.read(crt));
      if (current(ca, existing, request, now)) {
        return new IssuedCertificate(existing, Pem.parsePrivateKey(Pem.read(key)));
      }
    }
    IssuedCertificate issued = ca.issue(request, now);
    Pem.writeSecret(key, Pem.privateKey(issued.key()));
    Pem.writePublic(crt, Pem.certificate(issued.certificate()));
    changed.add(stem);
    return issued;
  }

  private static boolean current(
      CertificateAuthority ca, X509Certificate cert, CertificateRequest request, Instant now) {
    return ca.signed(cert)
        && cert.getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE))
        && commonName(cert.getSubjectX500Principal()).equals(request.commonName())
        && organizations(cert.getSubjectX500Principal())
            .equals(new HashSet<>(request.organizations()))
        && namesExactly(cert, request.dnsNames(), request.ipAddresses());
  }

  /**
   * Whether {@code cert}'s subject alternative names are exactly these DNS names and IP addresses
   * (IPs compared as addresses, not spellings): a serving certificate made for other names is made
   * again.
   */
  public static boolean namesExactly(
      X509Certificate cert, List<String> dnsNames, List<String> ipAddresses) {
    return subjectAltNames(cert).equals(sanSet(dnsNames, ipAddresses));
  }

  /** The CN of a certificate subject: for a client certificate, the user name. */
  public static String commonName(X500Principal subject) {
    List<String> cns = values(subject, true);
    return cns.isEmpty() ? "" : cns.get(0);
  }

  /** The O values of a certificate subject, in order: for a client certificate, the groups. */
  public static List<String> organizationList(X500Principal subject) {
    return values(subject, false);
  }

  private static Set<String> organizations(X500Principal subject) {
    return new HashSet<>(values(subject, false));
  }

  private static List<String> values(X500Principal subject, boolean cn) {
    X500Name name = X500Name.getInstance(subject.getEncoded());
    List<String> out = new ArrayList<>();
    for (RDN rdn : name.getRDNs(cn ? BCStyle.CN : BCStyle.O)) {
      out.add(IETFUtils.valueToString(rdn.getFirst().getValue()));
    }
    return out;
  }

  private static Set<String> sanSet(List<String> dnsNames, List<String> ipAddresses) {
    Set<String> out = new HashSet<>();
    dnsNames.forEach(d -> out.add("dns:" + d));
    ipAddresses.forEach(ip -> out.add("ip:" + normalizeIp(ip)));
    return out;
  }

  private static Set<String> subjectAltNames(X509Certificate cert) {
    Set<String> out = new HashSet<>();
    try {
      Collection<List<?>> names = cert.getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> entry : names) {
          int type = (Integer) entry.get(0);
          if (type == 2) {
            out.add("dns:" + entry.get(1));
          } else if (type == 7) {
            out.add("ip:" + normalizeIp((String) entry.get(1)));
          }
        }
      }
    } catch (CertificateParsingException e) {
      return Set.of();
    }
    return out;
  }

  private static String normalizeIp(String ip) {
    try {
      return java.net.InetAddress.getByName(ip).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      return ip;
    }
  }

  /** Base64 of a PEM text, as kubeconfigs carry {@code *-data} fields. */
  static String base64(String pem) {
    return Base64.getEncoder()
        .encodeToString(pem.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
