package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Endpoints: the addresses and ports service proxies will send traffic to. */
public final class EndpointsValidation implements Validator<Endpoints> {

  @Override
  public List<FieldError> validate(Endpoints ep) {
    List<FieldError> errs =
        new ArrayList<>(
            MetadataValidation.validate(ep.getMetadata(), NameRule.DNS_SUBDOMAIN, true));
    List<EndpointSubset> subsets = MetadataValidation.orEmpty(ep.getSubsets());
    for (int i = 0; i < subsets.size(); i++) {
      EndpointSubset s = subsets.get(i);
      String path = "subsets[" + i + "]";
      List<EndpointAddress> ready = MetadataValidation.orEmpty(s.getAddresses());
      List<EndpointAddress> notReady = MetadataValidation.orEmpty(s.getNotReadyAddresses());
      if (ready.isEmpty() && notReady.isEmpty()) {
        errs.add(FieldError.required(path, "must specify `addresses` or `notReadyAddresses`"));
      }
      errs.addAll(addresses(ready, path + ".addresses"));
      errs.addAll(addresses(notReady, path + ".notReadyAddresses"));
      List<EndpointPort> ports = MetadataValidation.orEmpty(s.getPorts());
      for (int j = 0; j < ports.size(); j++) {
        EndpointPort p = ports.get(j);
        String portPath = path + ".ports[" + j + "]";
        String name = Objects.toString(p.getName(), "");
        if (ports.size() > 1 && name.isEmpty()) {
          errs.add(FieldError.required(portPath + ".name", ""));
        } else if (!name.isEmpty()) {
          for (String msg : NameValidation.dns1123Label(name)) {
            errs.add(FieldError.invalid(portPath + ".name", name, msg));
          }
        }
        errs.addAll(NetworkValidation.portNumber(portPath + ".port", p.getPort()));
        errs.addAll(NetworkValidation.protocol(portPath + ".protocol", p.getProtocol()));
      }
    }
    return errs;
  }

  private static List<FieldError> addresses(List<EndpointAddress> addresses, String field) {
    List<FieldError> errs = new ArrayList<>();
    for (int i = 0; i < addresses.size(); i++) {
      EndpointAddress a = addresses.get(i);
      String path = field + "[" + i + "]";
      String ip = Objects.toString(a.getIp(), "");
      if (!NetworkValidation.isValidIp(ip)) {
        errs.add(FieldError.invalid(path + ".ip", ip, NetworkValidation.IP_MSG));
      }
      String hostname = a.getHostname();
      if (!MetadataValidation.isEmpty(hostname)) {
        for (String msg : NameValidation.dns1123Label(hostname)) {
          errs.add(FieldError.invalid(path + ".hostname", hostname, msg));
        }
      }
      String nodeName = a.getNodeName();
      if (!MetadataValidation.isEmpty(nodeName)) {
        for (String msg : NameValidation.dns1123Subdomain(nodeName)) {
          errs.add(FieldError.invalid(path + ".nodeName", nodeName, msg));
        }
      }
      errs.addAll(NetworkValidation.nonSpecialIp(path + ".ip", ip));
    }
    return errs;
  }
}
