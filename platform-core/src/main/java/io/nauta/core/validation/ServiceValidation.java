package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Services: type, ports, cluster IP and session affinity, as Kubernetes checks them. */
public final class ServiceValidation implements Validator<Service> {

  static final List<String> TYPES =
      List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
  static final List<String> SESSION_AFFINITIES = List.of("ClientIP", "None");
  private static final String NONE = "None";

  @Override
  public List<FieldError> validate(Service service) {
    List<FieldError> errs =
        new ArrayList<>(
            MetadataValidation.validate(service.getMetadata(), NameRule.DNS_1035_LABEL, true));
    ServiceSpec spec = service.getSpec() == null ? new ServiceSpec() : service.getSpec();
    // An empty type is defaulted to ClusterIP before validation.
    String type = MetadataValidation.isEmpty(spec.getType()) ? "ClusterIP" : spec.getType();
    String clusterIp = Objects.toString(spec.getClusterIP(), "");
    boolean headless = clusterIp.equals(NONE);
    List<ServicePort> ports = MetadataValidation.orEmpty(spec.getPorts());

    errs.addAll(EnumValidation.oneOf("spec.type", spec.getType(), TYPES));
    if (type.equals("ExternalName")) {
      errs.addAll(externalName(spec, clusterIp));
    } else {
      errs.addAll(MetadataValidation.labels(spec.getSelector(), "spec.selector"));
    }
    if (ports.isEmpty() && !headless && !type.equals("ExternalName")) {
      errs.add(FieldError.required("spec.ports", ""));
    }
    errs.addAll(ports(ports, type));
    errs.addAll(clusterIps(spec, type, clusterIp));
    errs.addAll(
        EnumValidation.oneOf(
            "spec.sessionAffinity", spec.getSessionAffinity(), SESSION_AFFINITIES));
    return errs;
  }

  /**
   * The cluster IP is the service's identity for every client that resolved it, so once allocated
   * it stays (unless the service becomes or stops being an ExternalName alias, which has none).
   */
  @Override
  public List<FieldError> validateUpdate(Service service, Service old) {
    List<FieldError> errs = new ArrayList<>(Validator.super.validateUpdate(service, old));
    ServiceSpec now = service.getSpec() == null ? new ServiceSpec() : service.getSpec();
    ServiceSpec was = old.getSpec() == null ? new ServiceSpec() : old.getSpec();
    if (!"ExternalName".equals(now.getType())
        && !"ExternalName".equals(was.getType())
        && !MetadataValidation.isEmpty(was.getClusterIP())) {
      errs.addAll(
          MetadataValidation.immutable(
              "spec.clusterIP", Objects.toString(now.getClusterIP(), ""), was.getClusterIP()));
    }
    return errs;
  }

  private static List<FieldError> externalName(ServiceSpec spec, String clusterIp) {
    List<FieldError> errs = new ArrayList<>();
    if (!clusterIp.isEmpty()) {
      errs.add(FieldError.forbidden("spec.clusterIP", "may not be set for ExternalName services"));
    }
    String name = Objects.toString(spec.getExternalName(), "");
    if (name.isEmpty()) {
      errs.add(FieldError.required("spec.externalName", ""));
      return errs;
    }
    // A fully qualified name may end with the root's dot.
    String host = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    for (String msg : NameValidation.dns1123Subdomain(host)) {
      errs.add(FieldError.invalid("spec.externalName", name, msg));
    }
    return errs;
  }

  private static List<FieldError> ports(List<ServicePort> ports, String type) {
    List<FieldError> errs = new ArrayList<>();
    // With several ports, names are what endpoints and clients tell them apart by.
    boolean requireName = ports.size() > 1;
    Set<String> names = new HashSet<>();
    Set<String> portKeys = new HashSet<>();
    Set<String> nodePortKeys = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      ServicePort p = ports.get(i);
      String path = "spec.ports[" + i + "]";
      String name = Objects.toString(p.getName(), "");
      if (requireName && name.isEmpty()) {
        errs.add(FieldError.required(path + ".name", ""));
      } else if (!name.isEmpty()) {
        for (String msg : NameValidation.dns1123Label(name)) {
          errs.add(FieldError.invalid(path + ".name", name, msg));
        }
        if (!names.add(name)) {
          errs.add(FieldError.duplicate(path + ".name", name));
        }
      }
      errs.addAll(NetworkValidation.portNumber(path + ".port", p.getPort()));
      errs.addAll(NetworkValidation.protocol(path + ".protocol", p.getProtocol()));
      // An unset (or zero) target port is defaulted to the port before validation.
      IntOrString target = p.getTargetPort();
      if (target != null && !Integer.valueOf(0).equals(target.getIntVal())) {
        errs.addAll(NetworkValidation.portNumberOrName(path + ".targetPort", target));
      }
      String protocol = MetadataValidation.isEmpty(p.getProtocol()) ? "TCP" : p.getProtocol();
      Integer nodePort = p.getNodePort();
      if (nodePort != null && nodePort != 0) {
        if (!NetworkValidation.isValidPortNumber(nodePort)) {
          errs.add(
              FieldError.invalid(
                  path + ".nodePort", nodePort, NetworkValidation.inclusiveRange(1, 65535)));
        }
        if (type.equals("ClusterIP")) {
          errs.add(
              FieldError.forbidden(
                  path + ".nodePort", "may not be used when `type` is 'ClusterIP'"));
        }
        if (!nodePortKeys.add(nodePort + "/" + protocol)) {
          errs.add(FieldError.duplicate(path + ".nodePort", nodePort));
        }
      }
      String key = p.getPort() + "/" + protocol;
      if (!portKeys.add(key)) {
        errs.add(FieldError.duplicate(path, key));
      }
    }
    return errs;
  }

  private static List<FieldError> clusterIps(ServiceSpec spec, String type, String clusterIp) {
    List<FieldError> errs = new ArrayList<>();
    if (type.equals("ExternalName")) {
      return errs;
    }
    if (clusterIp.equals(NONE)) {
      if (!type.equals("ClusterIP")) {
        errs.add(
            FieldError.invalid(
                "spec.clusterIP", NONE, "may not be set to 'None' for " + type + " services"));
      }
    } else if (!clusterIp.isEmpty() && !NetworkValidation.isValidIp(clusterIp)) {
      errs.add(FieldError.invalid("spec.clusterIP", clusterIp, NetworkValidation.IP_MSG));
    }
    List<String> ips = MetadataValidation.orEmpty(spec.getClusterIPs());
    for (int i = 0; i < ips.size(); i++) {
      String ip = Objects.toString(ips.get(i), "");
      boolean ok = NetworkValidation.isValidIp(ip) || (i == 0 && ip.equals(NONE));
      if (!ok) {
        errs.add(FieldError.invalid("spec.clusterIPs[" + i + "]", ip, NetworkValidation.IP_MSG));
      }
    }
    if (!ips.isEmpty() && !clusterIp.isEmpty() && !clusterIp.equals(ips.get(0))) {
      errs.add(FieldError.invalid("spec.clusterIPs", ips, "first value must match `clusterIP`"));
    }
    return errs;
  }
}
