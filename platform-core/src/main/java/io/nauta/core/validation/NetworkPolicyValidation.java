package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import io.nauta.core.errors.FieldError;
import io.nauta.core.net.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * NetworkPolicies (networking.k8s.io/v1), as upstream's {@code ValidateNetworkPolicy}: ports
 * (protocol, number or name, {@code endPort} only after a numeric port and not below it), peers (at
 * least one of pod selector, namespace selector or IP block; an IP block alone, its {@code except}
 * blocks strictly inside its {@code cidr}), selectors, and at most the two policy types.
 */
public final class NetworkPolicyValidation implements Validator<NetworkPolicy> {

  static final List<String> POLICY_TYPES = List.of("Ingress", "Egress");

  @Override
  public List<FieldError> validate(NetworkPolicy np) {
    List<FieldError> errs =
        new ArrayList<>(
            MetadataValidation.validate(np.getMetadata(), NameRule.DNS_SUBDOMAIN, true));
    errs.addAll(spec(np.getSpec() == null ? new NetworkPolicySpec() : np.getSpec(), "spec"));
    return errs;
  }

  static List<FieldError> spec(NetworkPolicySpec spec, String f) {
    List<FieldError> errs =
        new ArrayList<>(
            LabelSelectorValidation.validate(spec.getPodSelector(), f + ".podSelector"));
    List<NetworkPolicyIngressRule> ingress = MetadataValidation.orEmpty(spec.getIngress());
    for (int i = 0; i < ingress.size(); i++) {
      String path = f + ".ingress[" + i + "]";
      errs.addAll(ports(ingress.get(i).getPorts(), path));
      errs.addAll(peers(ingress.get(i).getFrom(), path + ".from"));
    }
    List<NetworkPolicyEgressRule> egress = MetadataValidation.orEmpty(spec.getEgress());
    for (int i = 0; i < egress.size(); i++) {
      String path = f + ".egress[" + i + "]";
      errs.addAll(ports(egress.get(i).getPorts(), path));
      errs.addAll(peers(egress.get(i).getTo(), path + ".to"));
    }
    List<String> types = MetadataValidation.orEmpty(spec.getPolicyTypes());
    if (types.size() > POLICY_TYPES.size()) {
      errs.add(
          FieldError.invalid(
              f + ".policyTypes",
              new GoValue(
                  "[]networking.PolicyType{"
                      + String.join(", ", types.stream().map(GoValue::quoted).toList())
                      + "}"),
              "may not specify more than two policyTypes"));
      return errs;
    }
    for (int i = 0; i < types.size(); i++) {
      if (!POLICY_TYPES.contains(types.get(i))) {
        errs.add(
            FieldError.notSupported(
                f + ".policyTypes[" + i + "]",
                types.get(i),
                EnumValidation.supported(POLICY_TYPES)));
      }
    }
    return errs;
  }

  private static List<FieldError> ports(List<NetworkPolicyPort> ports, String rule) {
    List<FieldError> errs = new ArrayList<>();
    List<NetworkPolicyPort> list = MetadataValidation.orEmpty(ports);
    for (int i = 0; i < list.size(); i++) {
      errs.addAll(port(list.get(i), rule + ".ports[" + i + "]"));
    }
    return errs;
  }

  static List<FieldError> port(NetworkPolicyPort port, String path) {
    List<FieldError> errs = new ArrayList<>();
    String protocol = port.getProtocol();
    if (protocol != null && !NetworkValidation.PROTOCOLS.contains(protocol)) {
      // upstream lists them in this order, not sorted
      errs.add(
          FieldError.notSupported(
              path + ".protocol",
              protocol,
              EnumValidation.supported(List.of("TCP", "UDP", "SCTP"))));
    }
    IntOrString p = port.getPort();
    Integer end = port.getEndPort();
    if (p != null && p.getStrVal() == null) {
      int number = p.getIntVal() == null ? 0 : p.getIntVal();
      if (!NetworkValidation.isValidPortNumber(number)) {
        errs.add(
            FieldError.invalid(path + ".port", number, NetworkValidation.inclusiveRange(1, 65535)));
      }
      if (end != null) {
        if (end < number) {
          errs.add(
              FieldError.invalid(
                  path + ".endPort", number, "must be greater than or equal to `port`"));
        }
        if (!NetworkValidation.isValidPortNumber(end)) {
          errs.add(
              FieldError.invalid(
                  path + ".endPort", end, NetworkValidation.inclusiveRange(1, 65535)));
        }
      }
    } else if (p != null) {
      if (end != null) {
        errs.add(
            FieldError.invalid(
                path + ".endPort", end, "may not be specified when `port` is non-numeric"));
      }
      for (String msg : NameValidation.portName(p.getStrVal())) {
        errs.add(FieldError.invalid(path + ".port", p.getStrVal(), msg));
      }
    } else if (end != null) {
      errs.add(
          FieldError.invalid(
              path + ".endPort", end, "may not be specified when `port` is not specified"));
    }
    return errs;
  }

  private static List<FieldError> peers(List<NetworkPolicyPeer> peers, String field) {
    List<FieldError> errs = new ArrayList<>();
    List<NetworkPolicyPeer> list = MetadataValidation.orEmpty(peers);
    for (int i = 0; i < list.size(); i++) {
      errs.addAll(peer(list.get(i), field + "[" + i + "]"));
    }
    return errs;
  }

  static List<FieldError> peer(NetworkPolicyPeer peer, String path) {
    List<FieldError> errs = new ArrayList<>();
    int count = 0;
    if (peer.getPodSelector() != null) {
      count++;
      errs.addAll(LabelSelectorValidation.validate(peer.getPodSelector(), path + ".podSelector"));
    }
    if (peer.getNamespaceSelector() != null) {
      count++;
      errs.addAll(
          LabelSelectorValidation.validate(
              peer.getNamespaceSelector(), path + ".namespaceSelector"));
    }
    if (peer.getIpBlock() != null) {
      count++;
      errs.addAll(ipBlock(peer.getIpBlock(), path + ".ipBlock"));
    }
    if (count == 0) {
      errs.add(FieldError.required(path, "must specify a peer"));
    } else if (count > 1 && peer.getIpBlock() != null) {
      errs.add(FieldError.forbidden(path, "may not specify both ipBlock and another peer"));
    }
    return errs;
  }

  static List<FieldError> ipBlock(IPBlock block, String path) {
    List<FieldError> errs = new ArrayList<>();
    String cidr = block.getCidr();
    if (cidr == null || cidr.isEmpty()) {
      errs.add(FieldError.required(path + ".cidr", ""));
      return errs;
    }
    Optional<Cidr> outer = Cidr.parse(cidr);
    if (outer.isEmpty()) {
      errs.add(FieldError.invalid(path + ".cidr", cidr, NetworkValidation.CIDR_MSG));
      return errs;
    }
    List<String> except = MetadataValidation.orEmpty(block.getExcept());
    for (int i = 0; i < except.size(); i++) {
      String e = except.get(i);
      String at = path + ".except[" + i + "]";
      Optional<Cidr> inner = Cidr.parse(e);
      if (inner.isEmpty()) {
        errs.add(FieldError.invalid(at, e, NetworkValidation.CIDR_MSG));
      } else if (!outer.get().contains(inner.get())
          || inner.get().prefix() == outer.get().prefix()) {
        errs.add(FieldError.invalid(at, e, "must be a strict subset of `cidr`"));
      }
    }
    return errs;
  }
}
