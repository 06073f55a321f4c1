package io.nauta.ingress.routes;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of every route, built from the informers' caches and swapped whole: a
 * request in flight keeps the table it started with.
 *
 * <p>Hosts: an exact host beats a wildcard {@code *.example.com} (which covers one label only,
 * {@code a.example.com} but neither {@code example.com} nor {@code a.b.example.com}), which beats
 * the rules without a host. In the host found, the longest matching path wins; none: the {@code
 * defaultBackend} of the oldest Ingress that has one; none: 404.
 *
 * @param hosts the path rules of each exact host, longest first
 * @param wildcards those of each wildcard host, by its suffix ({@code .example.com})
 * @param anyHost those of the rules without a host
 * @param defaultBackend the default backend, if any Ingress has one
 * @param certificates the TLS certificates by host (exact, or a wildcard as written)
 */
public record RouteTable(
    Map<String, List<PathRule>> hosts,
    Map<String, List<PathRule>> wildcards,
    List<PathRule> anyHost,
    Optional<Target> defaultBackend,
    Map<String, TlsCertificate> certificates) {

  public static final RouteTable EMPTY =
      new RouteTable(Map.of(), Map.of(), List.of(), Optional.empty(), Map.of());

  static final Comparator<PathRule> PRECEDENCE =
      Comparator.comparingInt(PathRule::length)
          .reversed()
          .thenComparing(r -> !r.exact())
          .thenComparingLong(PathRule::order);

  /** Where a request for {@code host} (a port after {@code :} ignored) and {@code path} goes. */
  public Optional<Target> route(String host, String path) {
    String h = hostOnly(host);
    List<PathRule> rules = hosts.get(h);
    if (rules == null) {
      int dot = h.indexOf('.');
      rules = dot > 0 ? wildcards.get(h.substring(dot)) : null;
    }
    if (rules == null) {
      rules = anyHost;
    }
    for (PathRule r : rules) {
      if (r.matches(path)) {
        return Optional.of(r.target());
      }
    }
    return defaultBackend;
  }

  /** The certificate for a TLS server name: its host's, else its wildcard's. */
  public Optional<TlsCertificate> certificate(String serverName) {
    if (serverName == null) {
      return Optional.empty();
    }
    String h = serverName.toLowerCase(Locale.ROOT);
    TlsCertificate c = certificates.get(h);
    if (c == null) {
      int dot = h.indexOf('.');
      c = dot > 0 ? certificates.get("*" + h.substring(dot)) : null;
    }
    return Optional.ofNullable(c);
  }

  static String hostOnly(String host) {
    if (host == null) {
      return "";
    }
    String h = host;
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      h = end > 0 ? h.substring(0, end + 1) : h;
    } else {
      int colon = h.indexOf(':');
      h = colon >= 0 ? h.substring(0, colon) : h;
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return h.toLowerCase(Locale.ROOT);
  }
}
