package io.nauta.ingress.routes;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.nauta.core.pki.Pem;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds {@link RouteTable}s from what the informers hold. One builder lives as long as the
 * controller: it keeps the round-robin cursors of the Services (so a rebuild does not send the next
 * request to the first endpoint again) and the certificates parsed from each Secret version.
 */
public final class RouteTableBuilder {

  public static final String IS_DEFAULT_CLASS = "ingressclass.kubernetes.io/is-default-class";
  public static final String CLASS_ANNOTATION = "kubernetes.io/ingress.class";
  public static final String TLS_CERT = "tls.crt";
  public static final String TLS_KEY = "tls.key";

  /** What the table is built from. */
  public interface Source {
    List<Ingress> ingresses();

    Optional<IngressClass> ingressClass(String name);

    Optional<Service> service(String namespace, String name);

    Optional<Endpoints> endpoints(String namespace, String name);

    Optional<Secret> secret(String namespace, String name);
  }

  /**
   * One build.
   *
   * @param table the routes
   * @param served the Ingresses of the class, whose status this controller keeps
   * @param problems what to report
   */
  public record Result(RouteTable table, List<Ingress> served, List<Problem> problems) {}

  private record Parsed(String version, TlsCertificate certificate, String error) {}

  private final String className;
  private final Map<String, AtomicInteger> cursors = new ConcurrentHashMap<>();
  private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();

  public RouteTableBuilder(String className) {
    this.className = className;
  }

  /** Whether the controller serves {@code ingress}: its class, or none while ours is default. */
  public boolean serves(Ingress ingress, Source source) {
    String cls = ingress.getSpec() == null ? null : ingress.getSpec().getIngressClassName();
    if (cls == null && ingress.getMetadata().getAnnotations() != null) {
      cls = ingress.getMetadata().getAnnotations().get(CLASS_ANNOTATION);
    }
    if (cls != null) {
      return cls.equals(className);
    }
    return source
        .ingressClass(className)
        .map(c -> c.getMetadata().getAnnotations())
        .map(a -> "true".equals(a.get(IS_DEFAULT_CLASS)))
        .orElse(false);
  }

  public Result build(Source source) {
    List<Ingress> served =
        source.ingresses().stream()
            .filter(i -> serves(i, source))
            .sorted(
                Comparator.comparing(
                        (Ingress i) ->
                            Objects.requireNonNullElse(i.getMetadata().getCreationTimestamp(), ""))
                    .thenComparing(RouteTableBuilder::key))
            .toList();
    Map<String, List<PathRule>> hosts = new HashMap<>();
    Map<String, List<PathRule>> wildcards = new HashMap<>();
    List<PathRule> anyHost = new ArrayList<>();
    Map<String, TlsCertificate> certificates = new HashMap<>();
    Map<String, Problem> problems = new LinkedHashMap<>();
    Optional<Target> defaultBackend = Optional.empty();
    long order = 0;
    for (Ingress ing : served) {
      String ns = ing.getMetadata().getNamespace();
      if (ing.getSpec() == null) {
        continue;
      }
      if (defaultBackend.isEmpty() && ing.getSpec().getDefaultBackend() != null) {
        defaultBackend = target(ing, ing.getSpec().getDefaultBackend(), source, problems);
      }
      List<String> ruleHosts = new ArrayList<>();
      for (IngressRule rule : nullSafe(ing.getSpec().getRules())) {
        String host = rule.getHost() == null ? "" : rule.getHost().toLowerCase(Locale.ROOT);
        ruleHosts.add(host);
        List<PathRule> into =
            host.isEmpty()
                ? anyHost
                : host.startsWith("*.")
                    ? wildcards.computeIfAbsent(host.substring(1), h -> new ArrayList<>())
                    : hosts.computeIfAbsent(host, h -> new ArrayList<>());
        if (rule.getHttp() == null) {
          continue;
        }
        for (HTTPIngressPath p : nullSafe(rule.getHttp().getPaths())) {
          Optional<Target> t = target(ing, p.getBackend(), source, problems);
          if (t.isPresent()) {
            String path = p.getPath() == null || p.getPath().isEmpty() ? "/" : p.getPath();
            into.add(new PathRule("Exact".equals(p.getPathType()), path, t.get(), order++));
          }
        }
      }
      for (IngressTLS tls : nullSafe(ing.getSpec().getTls())) {
        if (tls.getSecretName() == null || tls.getSecretName().isEmpty()) {
          continue;
        }
        Parsed cert = certificate(ns, tls.getSecretName(), source);
        if (cert.certificate() == null) {
          problems.putIfAbsent(
              key(ing) + "/tls/" + tls.getSecretName(),
              new Problem(key(ing), Problem.BAD_TLS_SECRET, cert.error()));
          continue;
        }
        List<String> tlsHosts =
            tls.getHosts() == null || tls.getHosts().isEmpty() ? ruleHosts : tls.getHosts();
        for (String h : tlsHosts) {
          if (h != null && !h.isEmpty()) {
            certificates.putIfAbsent(h.toLowerCase(Locale.ROOT), cert.certificate());
          }
        }
      }
    }
    hosts.replaceAll((h, rules) -> sorted(rules));
    wildcards.replaceAll((h, rules) -> sorted(rules));
    RouteTable table =
        new RouteTable(
            Map.copyOf(hosts),
            Map.copyOf(wildcards),
            sorted(anyHost),
            defaultBackend,
            Map.copyOf(certificates));
    return new Result(table, served, List.copyOf(problems.values()));
  }

  private static List<PathRule> sorted(List<PathRule> rules) {
    return rules.stream().sorted(RouteTable.PRECEDENCE).toList();
  }

  private Optional<Target> target(
      Ingress ing, IngressBackend backend, Source source, Map<String, Problem> problems) {
    if (backend == null || backend.getService() == null) {
      return Optional.empty(); // a resource backend: not served by this controller
    }
    IngressServiceBackend sb = backend.getService();
    String ns = ing.getMetadata().getNamespace();
    String service = ns + "/" + sb.getName();
    String portText =
        sb.getPort() == null
            ? "?"
            : sb.getPort().getName() != null && !sb.getPort().getName().isEmpty()
                ? sb.getPort().getName()
                : String.valueOf(sb.getPort().getNumber());
    Optional<Service> svc = source.service(ns, sb.getName());
    Optional<ServicePort> port = svc.flatMap(s -> servicePort(s, sb));
    AtomicInteger cursor =
        cursors.computeIfAbsent(service + ":" + portText, k -> new AtomicInteger());
    if (port.isEmpty()) {
      problems.putIfAbsent(
          key(ing) + "/service/" + service + ":" + portText,
          new Problem(
              key(ing),
              Problem.SERVICE_NOT_FOUND,
              svc.isEmpty()
                  ? "Service \"" + service + "\" not found"
                  : "Service \"" + service + "\" has no port " + portText));
      return Optional.of(new Target(key(ing), service, List.of(), cursor));
    }
    List<InetSocketAddress> addresses = new ArrayList<>();
    boolean singlePort = svc.get().getSpec().getPorts().size() == 1;
    source
        .endpoints(ns, sb.getName())
        .ifPresent(
            ep -> {
              for (EndpointSubset subset : nullSafe(ep.getSubsets())) {
                for (EndpointPort epp : nullSafe(subset.getPorts())) {
                  if (!samePortName(epp.getName(), port.get().getName(), singlePort)
                      || (epp.getProtocol() != null && !"TCP".equals(epp.getProtocol()))) {
                    continue;
                  }
                  for (EndpointAddress a : nullSafe(subset.getAddresses())) {
                    addresses.add(InetSocketAddress.createUnresolved(a.getIp(), epp.getPort()));
                  }
                }
              }
            });
    return Optional.of(new Target(key(ing), service, addresses, cursor));
  }

  private static boolean samePortName(String endpointPort, String servicePort, boolean single) {
    String e = endpointPort == null ? "" : endpointPort;
    String s = servicePort == null ? "" : servicePort;
    return e.equals(s) || (single && e.isEmpty());
  }

  private static Optional<ServicePort> servicePort(Service svc, IngressServiceBackend sb) {
    if (svc.getSpec() == null || "ExternalName".equals(svc.getSpec().getType())) {
      return Optional.empty();
    }
    return nullSafe(svc.getSpec().getPorts()).stream()
        .filter(
            p ->
                sb.getPort() != null
                    && (sb.getPort().getName() != null && !sb.getPort().getName().isEmpty()
                        ? sb.getPort().getName().equals(p.getName())
                        : Objects.equals(sb.getPort().getNumber(), p.getPort())))
        .filter(p -> p.getProtocol() == null || "TCP".equals(p.getProtocol()))
        .findFirst();
  }

  private Parsed certificate(String ns, String name, Source source) {
    String key = ns + "/" + name;
    Optional<Secret> secret = source.secret(ns, name);
    if (secret.isEmpty()) {
      parsed.remove(key);
      return new Parsed("", null, "Secret \"" + key + "\" not found");
    }
    String version = secret.get().getMetadata().getResourceVersion();
    Parsed p = parsed.get(key);
    if (p == null || !Objects.equals(p.version(), version)) {
      p = parse(key, version, secret.get());
      parsed.put(key, p);
    }
    return p;
  }

  static Parsed parse(String key, String version, Secret secret) {
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    if (!data.containsKey(TLS_CERT) || !data.containsKey(TLS_KEY)) {
      return new Parsed(
          version, null, "Secret \"" + key + "\" has no " + TLS_CERT + " and " + TLS_KEY);
    }
    try {
      List<X509Certificate> chain = Pem.parseCertificates(decode(data.get(TLS_CERT)));
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("no certificate in " + TLS_CERT);
      }
      PrivateKey privateKey = Pem.parsePrivateKey(decode(data.get(TLS_KEY)));
      checkPair(privateKey, chain.get(0));
      return new Parsed(version, new TlsCertificate(key, version, privateKey, chain), null);
    } catch (RuntimeException | java.security.GeneralSecurityException e) {
      return new Parsed(
          version,
          null,
          "Secret \"" + key + "\" holds no valid certificate and key: " + e.getMessage());
    }
  }

  private static void checkPair(PrivateKey key, X509Certificate cert)
      throws java.security.GeneralSecurityException {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> throw new IllegalArgumentException("unsupported key " + key.getAlgorithm());
        };
    byte[] probe = "nauta".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(cert.getPublicKey());
    verifier.update(probe);
    if (!verifier.verify(signature)) {
      throw new IllegalArgumentException("the private key does not match the certificate");
    }
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  static String key(HasMetadata o) {
    return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
