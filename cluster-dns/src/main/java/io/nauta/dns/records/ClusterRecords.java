package io.nauta.dns.records;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.nauta.dns.records.Answer.Rcode;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The cluster zone's records, as Kubernetes' DNS specification and CoreDNS's kubernetes plugin
 * define them, read from a {@link ClusterView}:
 *
 * <ul>
 *   <li>{@code <svc>.<ns>.svc.<zone>}: A, the cluster IP; for a headless Service the ready
 *       endpoints' addresses; CNAME to {@code spec.externalName} for an ExternalName Service; SRV,
 *       every port.
 *   <li>{@code _<port>._<proto>.<svc>.<ns>.svc.<zone>}: SRV for a named port, to the Service's name
 *       (cluster IP) or to each ready endpoint's name (headless), with the addresses as additional
 *       records.
 *   <li>{@code <host>.<svc>.<ns>.svc.<zone>}: A for a headless Service's ready endpoint whose
 *       {@code hostname} is {@code host} (or whose address, dashed, is: {@code 10-244-0-5}), and
 *       for pods of {@code spec.hostname} {@code host} and {@code spec.subdomain} {@code svc}
 *       (ready, or any with {@code publishNotReadyAddresses}), whether or not the endpoints say so
 *       yet.
 *   <li>{@code <a-b-c-d>.<ns>.pod.<zone>}: A, CoreDNS's {@code pods insecure}.
 *   <li>PTR for cluster IPs, endpoint addresses and pod IPs; other reverse names are forwarded
 *       (CoreDNS's {@code fallthrough in-addr.arpa}).
 * </ul>
 *
 * A name in the zone that does not exist is NXDOMAIN; an existing name without records of the type
 * asked is NOERROR without answers. Both carry the zone's SOA, whose minimum is the TTL, so
 * negative answers are cached no longer than positive ones.
 */
public final class ClusterRecords {

  private static final String REVERSE_V4 = "in-addr.arpa";

  private final ClusterView view;
  private final String zone;
  private final long ttl;
  private final Rr soa;

  /**
   * @param zone the cluster domain ({@code cluster.local})
   * @param ttl seconds every record may be cached (CoreDNS's kubernetes plugin: 5)
   */
  public ClusterRecords(ClusterView view, String zone, long ttl) {
    this.view = view;
    this.zone = normalize(zone);
    this.ttl = ttl;
    this.soa =
        new Rr(
            this.zone,
            RecordType.SOA,
            ttl,
            new Rr.Soa(
                "ns.dns." + this.zone, "hostmaster." + this.zone, 1, 7200, 1800, 86400, (int) ttl));
  }

  public String zone() {
    return zone;
  }

  /** The answer to {@code name} (any case, trailing dot or not) of {@code type}. */
  public Answer resolve(String name, RecordType type) {
    String qname = normalize(name);
    if (qname.equals(zone)) {
      return type == RecordType.SOA || type == RecordType.ANY
          ? new Answer(Rcode.NOERROR, List.of(withName(soa, qname)), List.of(), List.of())
          : noData();
    }
    if (qname.endsWith("." + zone)) {
      List<String> labels =
          List.of(qname.substring(0, qname.length() - zone.length() - 1).split("\\.", -1));
      return inZone(labels, qname, type);
    }
    if (qname.endsWith("." + REVERSE_V4) && (type == RecordType.PTR || type == RecordType.ANY)) {
      return reverse(qname);
    }
    return Answer.notOurs();
  }

  // Labels left to right: web.default.svc -> [web, default, svc].
  private Answer inZone(List<String> labels, String qname, RecordType type) {
    int n = labels.size();
    String kind = labels.get(n - 1);
    if (kind.equals("svc")) {
      return switch (n) {
        case 1 -> noData();
        case 2 -> view.namespaceExists(labels.get(0)) ? noData() : nxdomain();
        case 3 -> service(labels.get(1), labels.get(0), qname, type);
        case 4 -> endpointName(labels.get(2), labels.get(1), labels.get(0), qname, type);
        case 5 -> port(labels.get(3), labels.get(2), labels, qname, type);
        default -> nxdomain();
      };
    }
    if (kind.equals("pod")) {
      return switch (n) {
        case 1 -> noData();
        case 2 -> view.namespaceExists(labels.get(0)) ? noData() : nxdomain();
        case 3 -> podByAddress(labels.get(1), labels.get(0), qname, type);
        default -> nxdomain();
      };
    }
    return nxdomain();
  }

  private Answer service(String ns, String name, String qname, RecordType type) {
    Optional<Service> found = view.service(ns, name);
    if (found.isEmpty() || found.get().getSpec() == null) {
      return nxdomain();
    }
    Service svc = found.get();
    if ("ExternalName".equals(svc.getSpec().getType())) {
      String target = svc.getSpec().getExternalName();
      if (target == null || target.isEmpty()) {
        return noData();
      }
      return answer(
          List.of(new Rr(qname, RecordType.CNAME, ttl, new Rr.Target(normalize(target)))));
    }
    return switch (type) {
      case A, ANY -> {
        List<Rr> rrs = new ArrayList<>();
        addresses(svc).forEach(ip -> rrs.add(Rr.a(qname, ttl, ip)));
        yield answer(rrs);
      }
      case SRV -> {
        List<Rr> answers = new ArrayList<>();
        List<Rr> additional = new ArrayList<>();
        for (ServicePort p : ports(svc)) {
          srv(svc, p, qname, answers, additional);
        }
        yield new Answer(
            Rcode.NOERROR, answers, answers.isEmpty() ? List.of(soa) : List.of(), additional);
      }
      default -> noData();
    };
  }

  /** {@code _<port>._<proto>.<svc>.<ns>.svc}, or the empty non-terminal {@code _<proto>.<svc>…}. */
  private Answer port(String ns, String name, List<String> labels, String qname, RecordType type) {
    String portLabel = labels.get(0);
    String protoLabel = labels.get(1);
    if (!portLabel.startsWith("_") || !protoLabel.startsWith("_")) {
      return nxdomain();
    }
    Optional<Service> found = view.service(ns, name);
    if (found.isEmpty() || found.get().getSpec() == null) {
      return nxdomain();
    }
    Service svc = found.get();
    String portName = portLabel.substring(1);
    String proto = protoLabel.substring(1);
    Optional<ServicePort> port =
        ports(svc).stream()
            .filter(p -> portName.equals(p.getName()))
            .filter(p -> proto.equalsIgnoreCase(protocol(p.getProtocol())))
            .findFirst();
    if (port.isEmpty()) {
      return nxdomain();
    }
    if (type != RecordType.SRV && type != RecordType.ANY) {
      return noData();
    }
    List<Rr> answers = new ArrayList<>();
    List<Rr> additional = new ArrayList<>();
    srv(svc, port.get(), qname, answers, additional);
    return new Answer(
        Rcode.NOERROR, answers, answers.isEmpty() ? List.of(soa) : List.of(), additional);
  }

  /**
   * SRV records of one port: to the Service's own name for a cluster IP; for a headless Service,
   * one per ready endpoint (its port in the endpoints, which may differ from the Service's), to the
   * endpoint's name, with its address as an additional record.
   */
  private void srv(
      Service svc, ServicePort p, String qname, List<Rr> answers, List<Rr> additional) {
    String svcName = svcName(svc);
    if (!headless(svc)) {
      List<byte[]> ips = addresses(svc);
      if (ips.isEmpty()) {
        return;
      }
      answers.add(new Rr(qname, RecordType.SRV, ttl, new Rr.Srv(0, 100, p.getPort(), svcName)));
      ips.forEach(ip -> additional.add(Rr.a(svcName, ttl, ip)));
      return;
    }
    Map<String, Integer> targets = new LinkedHashMap<>();
    for (EndpointSubset subset : readySubsets(svc)) {
      Optional<Integer> epPort =
          subset.getPorts() == null
              ? Optional.empty()
              : subset.getPorts().stream()
                  .filter(ep -> Objects.equals(nullToEmpty(ep.getName()), nullToEmpty(p.getName())))
                  .filter(ep -> protocol(ep.getProtocol()).equals(protocol(p.getProtocol())))
                  .map(EndpointPort::getPort)
                  .findFirst();
      if (epPort.isEmpty()) {
        continue;
      }
      for (EndpointAddress a : subset.getAddresses()) {
        byte[] ip = ipv4(a.getIp());
        if (ip == null) {
          continue;
        }
        String target = endpointLabel(a) + "." + svcName;
        if (targets.putIfAbsent(target + ":" + epPort.get(), epPort.get()) == null) {
          answers.add(new Rr(qname, RecordType.SRV, ttl, new Rr.Srv(0, 100, epPort.get(), target)));
          additional.add(Rr.a(target, ttl, ip));
        }
      }
    }
    int weight = answers.isEmpty() ? 100 : Math.max(1, 100 / answers.size());
    answers.replaceAll(
        r ->
            r.data() instanceof Rr.Srv s && r.name().equals(qname)
                ? new Rr(r.name(), r.type(), r.ttl(), new Rr.Srv(0, weight, s.port(), s.target()))
                : r);
  }

  /** {@code <host>.<svc>.<ns>.svc}: an endpoint's or a pod's own name under its Service. */
  private Answer endpointName(
      String ns, String svcName, String host, String qname, RecordType type) {
    if (host.startsWith("_")) {
      // _tcp.<svc>.<ns>.svc: an empty non-terminal above the SRV names.
      return view.service(ns, svcName).isPresent() ? noData() : nxdomain();
    }
    Optional<Service> svc = view.service(ns, svcName);
    if (svc.isEmpty()) {
      return nxdomain();
    }
    List<byte[]> ips = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    if (headless(svc.get())) {
      for (EndpointSubset subset : readySubsets(svc.get())) {
        for (EndpointAddress a : subset.getAddresses()) {
          if (host.equals(endpointLabel(a)) && !seen.contains(a.getIp())) {
            seen.add(a.getIp());
          }
        }
      }
      boolean notReadyToo = Boolean.TRUE.equals(svc.get().getSpec().getPublishNotReadyAddresses());
      for (Pod pod : view.podsOfSubdomain(ns, svcName)) {
        if (host.equals(pod.getSpec().getHostname())
            && pod.getMetadata().getDeletionTimestamp() == null
            && pod.getStatus() != null
            && pod.getStatus().getPodIP() != null
            && (notReadyToo || ready(pod))
            && !seen.contains(pod.getStatus().getPodIP())) {
          seen.add(pod.getStatus().getPodIP());
        }
      }
    }
    seen.stream().map(ClusterRecords::ipv4).filter(Objects::nonNull).forEach(ips::add);
    if (ips.isEmpty()) {
      return nxdomain();
    }
    if (type != RecordType.A && type != RecordType.ANY) {
      return noData();
    }
    return answer(ips.stream().map(ip -> Rr.a(qname, ttl, ip)).toList());
  }

  private Answer podByAddress(String ns, String dashed, String qname, RecordType type) {
    byte[] ip = ipv4(dashed.replace('-', '.'));
    if (ip == null || dashed.chars().filter(c -> c == '-').count() != 3) {
      return nxdomain();
    }
    if (!view.namespaceExists(ns)) {
      return nxdomain();
    }
    return type == RecordType.A || type == RecordType.ANY
        ? answer(List.of(Rr.a(qname, ttl, ip)))
        : noData();
  }

  private Answer reverse(String qname) {
    String[] octets = qname.substring(0, qname.length() - REVERSE_V4.length() - 1).split("\\.");
    if (octets.length != 4) {
      return Answer.notOurs();
    }
    String ip = octets[3] + "." + octets[2] + "." + octets[1] + "." + octets[0];
    if (ipv4(ip) == null) {
      return Answer.notOurs();
    }
    List<String> names = new ArrayList<>();
    for (Service s : view.servicesWithClusterIp(ip)) {
      names.add(svcName(s));
    }
    for (Endpoints e : view.endpointsWithAddress(ip)) {
      Optional<Service> svc =
          view.service(e.getMetadata().getNamespace(), e.getMetadata().getName());
      if (svc.isEmpty() || !headless(svc.get())) {
        continue;
      }
      for (EndpointSubset subset : e.getSubsets()) {
        if (subset.getAddresses() == null) {
          continue;
        }
        for (EndpointAddress a : subset.getAddresses()) {
          if (ip.equals(a.getIp())) {
            String name = endpointLabel(a) + "." + svcName(svc.get());
            if (!names.contains(name)) {
              names.add(name);
            }
          }
        }
      }
    }
    if (names.isEmpty()) {
      for (Pod p : view.podsWithIp(ip)) {
        String host = p.getSpec() == null ? null : p.getSpec().getHostname();
        String sub = p.getSpec() == null ? null : p.getSpec().getSubdomain();
        String ns = p.getMetadata().getNamespace();
        String name =
            host != null && !host.isEmpty() && sub != null && !sub.isEmpty()
                ? host + "." + sub + "." + ns + ".svc." + zone
                : ip.replace('.', '-') + "." + ns + ".pod." + zone;
        if (!names.contains(name)) {
          names.add(name);
        }
      }
    }
    if (names.isEmpty()) {
      return Answer.notOurs();
    }
    return answer(
        names.stream().map(t -> new Rr(qname, RecordType.PTR, ttl, new Rr.Target(t))).toList());
  }

  /** The A addresses of a Service: its IPv4 cluster IPs, or a headless one's ready endpoints. */
  private List<byte[]> addresses(Service svc) {
    List<byte[]> ips = new ArrayList<>();
    if (!headless(svc)) {
      List<String> all = new ArrayList<>();
      if (svc.getSpec().getClusterIPs() != null) {
        all.addAll(svc.getSpec().getClusterIPs());
      }
      if (all.isEmpty() && svc.getSpec().getClusterIP() != null) {
        all.add(svc.getSpec().getClusterIP());
      }
      all.stream().map(ClusterRecords::ipv4).filter(Objects::nonNull).forEach(ips::add);
      return ips;
    }
    List<String> seen = new ArrayList<>();
    for (EndpointSubset subset : readySubsets(svc)) {
      for (EndpointAddress a : subset.getAddresses()) {
        byte[] ip = ipv4(a.getIp());
        if (ip != null && !seen.contains(a.getIp())) {
          seen.add(a.getIp());
          ips.add(ip);
        }
      }
    }
    return ips;
  }

  private List<EndpointSubset> readySubsets(Service svc) {
    Optional<Endpoints> eps =
        view.endpoints(svc.getMetadata().getNamespace(), svc.getMetadata().getName());
    if (eps.isEmpty() || eps.get().getSubsets() == null) {
      return List.of();
    }
    return eps.get().getSubsets().stream()
        .filter(s -> s.getAddresses() != null && !s.getAddresses().isEmpty())
        .toList();
  }

  private String svcName(Service svc) {
    return svc.getMetadata().getName() + "." + svc.getMetadata().getNamespace() + ".svc." + zone;
  }

  private static boolean headless(Service svc) {
    String ip = svc.getSpec().getClusterIP();
    return ip == null || ip.isEmpty() || ip.equals("None");
  }

  private static List<ServicePort> ports(Service svc) {
    return svc.getSpec().getPorts() == null ? List.of() : svc.getSpec().getPorts();
  }

  /** An endpoint's label under its Service: its hostname, else its address dashed (CoreDNS). */
  private static String endpointLabel(EndpointAddress a) {
    String host = a.getHostname();
    return host != null && !host.isEmpty() ? host : a.getIp().replace('.', '-');
  }

  private static boolean ready(Pod pod) {
    if (pod.getStatus().getConditions() == null) {
      return false;
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  private static String protocol(String p) {
    return p == null || p.isEmpty() ? "tcp" : p.toLowerCase(Locale.ROOT);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  /** The bytes of a dotted IPv4 address, or null when {@code text} is not one. */
  static byte[] ipv4(String text) {
    if (text == null || !text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      return null;
    }
    try {
      InetAddress a = InetAddress.getByName(text);
      return a instanceof Inet4Address ? a.getAddress() : null;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  static String normalize(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  private Answer answer(List<Rr> rrs) {
    return rrs.isEmpty() ? noData() : new Answer(Rcode.NOERROR, rrs, List.of(), List.of());
  }

  private Answer noData() {
    return new Answer(Rcode.NOERROR, List.of(), List.of(soa), List.of());
  }

  private Answer nxdomain() {
    return new Answer(Rcode.NXDOMAIN, List.of(), List.of(soa), List.of());
  }

  private static Rr withName(Rr rr, String name) {
    return new Rr(name, rr.type(), rr.ttl(), rr.data());
  }
}
