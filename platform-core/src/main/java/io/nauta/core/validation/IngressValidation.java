package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.TypedLocalObjectReference;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressRuleValue;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceBackendPort;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Ingresses (networking.k8s.io/v1), as upstream's {@code ValidateIngressCreate}, {@code
 * ValidateIngressUpdate} and {@code ValidateIngressStatusUpdate}: a default backend or rules; rule
 * hosts DNS subdomains (one leading {@code *.} wildcard), never IPs; every path with a {@code
 * pathType}, {@code Exact} and {@code Prefix} paths absolute and free of {@code //}, {@code /./},
 * {@code /../}, {@code %2f} and a trailing {@code /.} or {@code /..}; backends a service (DNS-1035
 * name, port by number or by name) or a resource, never both; TLS hosts and secret names; the class
 * name; the load balancer's ingress points. An update keeps tolerating an invalid secret name or an
 * invalid rule under a wildcard host that the stored object already had, as upstream does.
 */
public final class IngressValidation implements Validator<Ingress> {

  /** The pre-IngressClass annotation that may not be combined with {@code ingressClassName}. */
  public static final String CLASS_ANNOTATION = "kubernetes.io/ingress.class";

  static final List<String> PATH_TYPES = List.of("Exact", "ImplementationSpecific", "Prefix");
  private static final List<String> INVALID_PATH_SEQUENCES =
      List.of("//", "/./", "/../", "%2f", "%2F");
  private static final List<String> INVALID_PATH_SUFFIXES = List.of("/..", "/.");

  private static final String WILDCARD_FMT =
      "\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
  private static final Pattern WILDCARD = Pattern.compile(WILDCARD_FMT);
  private static final String WILDCARD_MSG =
      "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which"
          + " must consist of lower case alphanumeric characters, '-' or '.' and end with an"
          + " alphanumeric character";

  private record Options(boolean allowInvalidSecretName, boolean allowInvalidWildcardHostRule) {}

  @Override
  public List<FieldError> validate(Ingress ing) {
    List<FieldError> errs = validate(ing, new Options(false, false));
    Map<String, String> annotations =
        ing.getMetadata() == null
            ? Map.of()
            : MetadataValidation.orEmpty(ing.getMetadata().getAnnotations());
    if (annotations.containsKey(CLASS_ANNOTATION) && spec(ing).getIngressClassName() != null) {
      errs.add(
          FieldError.invalid(
              "annotations." + CLASS_ANNOTATION,
              annotations.get(CLASS_ANNOTATION),
              "can not be set when the class field is also set"));
    }
    return errs;
  }

  @Override
  public List<FieldError> validateUpdate(Ingress ing, Ingress old) {
    List<FieldError> errs =
        new ArrayList<>(MetadataValidation.validateUpdate(ing.getMetadata(), old.getMetadata()));
    errs.addAll(
        validate(ing, new Options(allowInvalidSecretName(old), allowInvalidWildcardHostRule(old))));
    return errs;
  }

  private static List<FieldError> validate(Ingress ing, Options opts) {
    List<FieldError> errs =
        new ArrayList<>(
            MetadataValidation.validate(ing.getMetadata(), NameRule.DNS_SUBDOMAIN, true));
    errs.addAll(spec(spec(ing), "spec", opts));
    // Only the status subresource changes the status; every other write carries the old one.
    if (ing.getStatus() != null && ing.getStatus().getLoadBalancer() != null) {
      errs.addAll(
          loadBalancer(
              MetadataValidation.orEmpty(ing.getStatus().getLoadBalancer().getIngress()),
              "status.loadBalancer"));
    }
    return errs;
  }

  private static IngressSpec spec(Ingress ing) {
    return ing.getSpec() == null ? new IngressSpec() : ing.getSpec();
  }

  private static List<FieldError> spec(IngressSpec spec, String f, Options opts) {
    List<FieldError> errs = new ArrayList<>();
    List<IngressRule> rules = MetadataValidation.orEmpty(spec.getRules());
    if (rules.isEmpty() && spec.getDefaultBackend() == null) {
      errs.add(
          FieldError.invalid(
              f,
              // the model reads an absent list as empty: printed as Go prints the absent one
              new GoValue("[]networking.IngressRule(nil)"),
              "either `defaultBackend` or `rules` must be specified"));
    }
    if (spec.getDefaultBackend() != null) {
      errs.addAll(backend(spec.getDefaultBackend(), f + ".defaultBackend"));
    }
    for (int i = 0; i < rules.size(); i++) {
      errs.addAll(rule(rules.get(i), f + ".rules[" + i + "]", opts));
    }
    List<IngressTLS> tls = MetadataValidation.orEmpty(spec.getTls());
    for (int i = 0; i < tls.size(); i++) {
      errs.addAll(tls(tls.get(i), f + ".tls[" + i + "]", opts));
    }
    String className = spec.getIngressClassName();
    if (className != null) {
      for (String msg : NameValidation.dns1123Subdomain(className)) {
        errs.add(FieldError.invalid(f + ".ingressClassName", className, msg));
      }
    }
    return errs;
  }

  private static List<FieldError> rule(IngressRule rule, String path, Options opts) {
    List<FieldError> errs = new ArrayList<>();
    String host = rule.getHost() == null ? "" : rule.getHost();
    boolean wildcard = false;
    if (!host.isEmpty()) {
      errs.addAll(host(host, path + ".host", true));
      wildcard = host.contains("*");
    }
    if (!wildcard || !opts.allowInvalidWildcardHostRule()) {
      errs.addAll(ruleValue(rule.getHttp(), path));
    }
    return errs;
  }

  /** A rule's or a TLS section's host: a DNS subdomain, or {@code *.} and one. */
  private static List<FieldError> host(String host, String field, boolean noIp) {
    List<FieldError> errs = new ArrayList<>();
    if (noIp && NetworkValidation.isValidIp(host)) {
      errs.add(FieldError.invalid(field, host, "must be a DNS name, not an IP address"));
    }
    List<String> msgs =
        host.contains("*") ? wildcardDns1123Subdomain(host) : NameValidation.dns1123Subdomain(host);
    msgs.forEach(m -> errs.add(FieldError.invalid(field, host, m)));
    return errs;
  }

  /** apimachinery's {@code IsWildcardDNS1123Subdomain}. */
  static List<String> wildcardDns1123Subdomain(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > NameValidation.DNS1123_SUBDOMAIN_MAX_LENGTH) {
      errs.add(NameValidation.maxLength(NameValidation.DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    if (!WILDCARD.matcher(value).matches()) {
      errs.add(NameValidation.regexError(WILDCARD_MSG, WILDCARD_FMT, "*.example.com"));
    }
    return errs;
  }

  private static List<FieldError> ruleValue(HTTPIngressRuleValue http, String path) {
    List<FieldError> errs = new ArrayList<>();
    if (http == null) {
      return errs;
    }
    List<HTTPIngressPath> paths = MetadataValidation.orEmpty(http.getPaths());
    if (paths.isEmpty()) {
      errs.add(FieldError.required(path + ".http.paths", ""));
    }
    for (int i = 0; i < paths.size(); i++) {
      errs.addAll(httpPath(paths.get(i), path + ".http.paths[" + i + "]"));
    }
    return errs;
  }

  static List<FieldError> httpPath(HTTPIngressPath p, String f) {
    List<FieldError> errs = new ArrayList<>();
    String type = p.getPathType();
    if (type == null) {
      errs.add(FieldError.required(f + ".pathType", "pathType must be specified"));
      return errs;
    }
    String path = p.getPath() == null ? "" : p.getPath();
    switch (type) {
      case "Exact", "Prefix" -> {
        if (!path.startsWith("/")) {
          errs.add(FieldError.invalid(f + ".path", path, "must be an absolute path"));
        }
        if (!path.isEmpty()) {
          for (String seq : INVALID_PATH_SEQUENCES) {
            if (path.contains(seq)) {
              errs.add(FieldError.invalid(f + ".path", path, "must not contain '" + seq + "'"));
            }
          }
          for (String suffix : INVALID_PATH_SUFFIXES) {
            if (path.endsWith(suffix)) {
              errs.add(FieldError.invalid(f + ".path", path, "cannot end with '" + suffix + "'"));
            }
          }
        }
      }
      case "ImplementationSpecific" -> {
        if (!path.isEmpty() && !path.startsWith("/")) {
          errs.add(FieldError.invalid(f + ".path", path, "must be an absolute path"));
        }
      }
      default ->
          errs.add(
              FieldError.notSupported(f + ".pathType", type, EnumValidation.supported(PATH_TYPES)));
    }
    errs.addAll(
        backend(p.getBackend() == null ? new IngressBackend() : p.getBackend(), f + ".backend"));
    return errs;
  }

  static List<FieldError> backend(IngressBackend backend, String f) {
    List<FieldError> errs = new ArrayList<>();
    IngressServiceBackend service = backend.getService();
    TypedLocalObjectReference resource = backend.getResource();
    if (resource != null && service != null) {
      errs.add(FieldError.invalid(f, "", "cannot set both resource and service backends"));
      return errs;
    }
    if (resource != null) {
      errs.addAll(
          localObjectReference(
              resource.getApiGroup(), resource.getKind(), resource.getName(), f + ".resource"));
      return errs;
    }
    if (service == null) {
      errs.add(FieldError.invalid(f, "", "resource or service backend is required"));
      return errs;
    }
    String name = service.getName() == null ? "" : service.getName();
    if (name.isEmpty()) {
      errs.add(FieldError.required(f + ".service.name", ""));
    } else {
      NameValidation.dns1035Label(name)
          .forEach(m -> errs.add(FieldError.invalid(f + ".service.name", name, m)));
    }
    ServiceBackendPort port =
        service.getPort() == null ? new ServiceBackendPort() : service.getPort();
    String portName = port.getName() == null ? "" : port.getName();
    int portNumber = port.getNumber() == null ? 0 : port.getNumber();
    if (!portName.isEmpty() && portNumber != 0) {
      errs.add(FieldError.invalid(f, "", "cannot set both port name & port number"));
    } else if (!portName.isEmpty()) {
      NameValidation.portName(portName)
          .forEach(m -> errs.add(FieldError.invalid(f + ".service.port.name", portName, m)));
    } else if (portNumber != 0) {
      if (!NetworkValidation.isValidPortNumber(portNumber)) {
        errs.add(
            FieldError.invalid(
                f + ".service.port.number",
                portNumber,
                NetworkValidation.inclusiveRange(1, 65535)));
      }
    } else {
      errs.add(FieldError.required(f, "port name or number is required"));
    }
    return errs;
  }

  /** Upstream's {@code validateIngressTypedLocalObjectReference}. */
  static List<FieldError> localObjectReference(
      String apiGroup, String kind, String name, String f) {
    List<FieldError> errs = new ArrayList<>();
    if (apiGroup != null) {
      NameValidation.dns1123Subdomain(apiGroup)
          .forEach(m -> errs.add(FieldError.invalid(f + ".apiGroup", apiGroup, m)));
    }
    if (kind == null || kind.isEmpty()) {
      errs.add(FieldError.required(f + ".kind", "kind is required"));
    } else {
      NameValidation.pathSegment(kind)
          .forEach(m -> errs.add(FieldError.invalid(f + ".kind", kind, m)));
    }
    if (name == null || name.isEmpty()) {
      errs.add(FieldError.required(f + ".name", "name is required"));
    } else {
      NameValidation.pathSegment(name)
          .forEach(m -> errs.add(FieldError.invalid(f + ".name", name, m)));
    }
    return errs;
  }

  private static List<FieldError> tls(IngressTLS tls, String f, Options opts) {
    List<FieldError> errs = new ArrayList<>();
    List<String> hosts = MetadataValidation.orEmpty(tls.getHosts());
    for (int i = 0; i < hosts.size(); i++) {
      String host = hosts.get(i) == null ? "" : hosts.get(i);
      errs.addAll(host(host, f + ".hosts[" + i + "]", false));
    }
    if (!opts.allowInvalidSecretName()) {
      String secret = tls.getSecretName();
      secretName(secret).forEach(m -> errs.add(FieldError.invalid(f + ".secretName", secret, m)));
    }
    return errs;
  }

  private static List<String> secretName(String name) {
    return name == null || name.isEmpty() ? List.of() : NameValidation.dns1123Subdomain(name);
  }

  private static List<FieldError> loadBalancer(List<IngressLoadBalancerIngress> points, String f) {
    List<FieldError> errs = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      String at = f + ".ingress[" + i + "]";
      String ip = points.get(i).getIp();
      if (ip != null && !ip.isEmpty() && !NetworkValidation.isValidIp(ip)) {
        errs.add(FieldError.invalid(at + ".ip", ip, NetworkValidation.IP_MSG));
      }
      String hostname = points.get(i).getHostname();
      if (hostname != null && !hostname.isEmpty()) {
        NameValidation.dns1123Subdomain(hostname)
            .forEach(m -> errs.add(FieldError.invalid(at + ".hostname", hostname, m)));
        if (NetworkValidation.isValidIp(hostname)) {
          errs.add(
              FieldError.invalid(
                  at + ".hostname", hostname, "must be a DNS name, not an IP address"));
        }
      }
    }
    return errs;
  }

  private static boolean allowInvalidSecretName(Ingress old) {
    return MetadataValidation.orEmpty(spec(old).getTls()).stream()
        .anyMatch(t -> !secretName(t.getSecretName()).isEmpty());
  }

  private static boolean allowInvalidWildcardHostRule(Ingress old) {
    return MetadataValidation.orEmpty(spec(old).getRules()).stream()
        .anyMatch(
            r ->
                r.getHost() != null
                    && r.getHost().contains("*")
                    && !ruleValue(r.getHttp(), "").isEmpty());
  }
}
