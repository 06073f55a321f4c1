package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * EndpointSlices (discovery.k8s.io/v1), as upstream's {@code ValidateEndpointSlice}: an address
 * type of IPv4, IPv6 or FQDN (immutable), at most 1000 endpoints of 1 to 100 addresses of that
 * type, node names and hostnames that are DNS names, and at most 20000 ports with unique names and
 * a supported protocol. Unlike Endpoints, loopback and link-local addresses are not refused here.
 */
public final class EndpointSliceValidation implements Validator<EndpointSlice> {

  static final List<String> ADDRESS_TYPES = List.of("FQDN", "IPv4", "IPv6");
  static final int MAX_ENDPOINTS = 1000;
  static final int MAX_ADDRESSES = 100;
  static final int MAX_PORTS = 20000;

  @Override
  public List<FieldError> validate(EndpointSlice slice) {
    List<FieldError> errs =
        new ArrayList<>(
            MetadataValidation.validate(slice.getMetadata(), NameRule.DNS_SUBDOMAIN, true));
    String type = slice.getAddressType();
    if (type == null || type.isEmpty()) {
      errs.add(FieldError.required("addressType", ""));
    } else if (!ADDRESS_TYPES.contains(type)) {
      errs.add(
          FieldError.notSupported("addressType", type, EnumValidation.supported(ADDRESS_TYPES)));
    }
    errs.addAll(endpoints(MetadataValidation.orEmpty(slice.getEndpoints()), type));
    errs.addAll(ports(MetadataValidation.orEmpty(slice.getPorts())));
    return errs;
  }

  @Override
  public List<FieldError> validateUpdate(EndpointSlice slice, EndpointSlice old) {
    List<FieldError> errs = new ArrayList<>(Validator.super.validateUpdate(slice, old));
    if (!Objects.equals(slice.getAddressType(), old.getAddressType())) {
      errs.add(FieldError.immutable("addressType", slice.getAddressType()));
    }
    return errs;
  }

  private static List<FieldError> endpoints(List<Endpoint> endpoints, String type) {
    List<FieldError> errs = new ArrayList<>();
    if (endpoints.size() > MAX_ENDPOINTS) {
      errs.add(tooMany("endpoints", endpoints.size(), MAX_ENDPOINTS));
    }
    for (int i = 0; i < endpoints.size(); i++) {
      Endpoint e = endpoints.get(i);
      String path = "endpoints[" + i + "]";
      List<String> addresses = MetadataValidation.orEmpty(e.getAddresses());
      if (addresses.isEmpty()) {
        errs.add(FieldError.required(path + ".addresses", "must contain at least 1 address"));
      } else if (addresses.size() > MAX_ADDRESSES) {
        errs.add(tooMany(path + ".addresses", addresses.size(), MAX_ADDRESSES));
      }
      for (int j = 0; j < addresses.size(); j++) {
        errs.addAll(address(path + ".addresses[" + j + "]", addresses.get(j), type));
      }
      if (e.getNodeName() != null) {
        for (String msg : NameValidation.dns1123Subdomain(e.getNodeName())) {
          errs.add(FieldError.invalid(path + ".nodeName", e.getNodeName(), msg));
        }
      }
      if (e.getHostname() != null) {
        for (String msg : NameValidation.dns1123Label(e.getHostname())) {
          errs.add(FieldError.invalid(path + ".hostname", e.getHostname(), msg));
        }
      }
    }
    return errs;
  }

  /** Addresses of a known type are checked; an unsupported type is already reported. */
  private static List<FieldError> address(String field, String value, String type) {
    String a = value == null ? "" : value;
    boolean v6 = a.contains(":");
    return switch (type == null ? "" : type) {
      case "IPv4" ->
          NetworkValidation.isValidIp(a) && !v6
              ? List.of()
              : List.of(FieldError.invalid(field, a, "must be a valid IPv4 address"));
      case "IPv6" ->
          NetworkValidation.isValidIp(a) && v6
              ? List.of()
              : List.of(FieldError.invalid(field, a, "must be a valid IPv6 address"));
      case "FQDN" ->
          NameValidation.dns1123Subdomain(a).stream()
              .map(msg -> FieldError.invalid(field, a, msg))
              .toList();
      default -> List.of();
    };
  }

  private static List<FieldError> ports(List<EndpointPort> ports) {
    List<FieldError> errs = new ArrayList<>();
    if (ports.size() > MAX_PORTS) {
      errs.add(tooMany("ports", ports.size(), MAX_PORTS));
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      EndpointPort p = ports.get(i);
      String path = "ports[" + i + "]";
      String name = Objects.toString(p.getName(), "");
      if (!name.isEmpty()) {
        for (String msg : NameValidation.dns1123Label(name)) {
          errs.add(FieldError.invalid(path + ".name", name, msg));
        }
      }
      if (!names.add(name)) {
        errs.add(FieldError.duplicate(path + ".name", name));
      }
      if (p.getProtocol() == null || p.getProtocol().isEmpty()) {
        errs.add(FieldError.required(path + ".protocol", ""));
      } else {
        errs.addAll(NetworkValidation.protocol(path + ".protocol", p.getProtocol()));
      }
      if (p.getPort() != null) {
        errs.addAll(NetworkValidation.portNumber(path + ".port", p.getPort()));
      }
    }
    return errs;
  }

  private static FieldError tooMany(String field, int actual, int max) {
    return new FieldError(
        FieldError.Type.TOO_MANY, field, actual, "must have at most " + max + " items");
  }
}
