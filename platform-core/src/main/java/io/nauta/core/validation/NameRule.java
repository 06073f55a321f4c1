package io.nauta.core.validation;

import java.util.List;
import java.util.function.Function;

/** Which format a kind's object names follow, as each Kubernetes kind declares it. */
public enum NameRule {
  /** Most kinds: names may contain dots (e.g. {@code kube-root-ca.crt}). */
  DNS_SUBDOMAIN(NameValidation::dns1123Subdomain),
  /** Namespaces: the name becomes one DNS label of service names. */
  DNS_LABEL(NameValidation::dns1123Label),
  /** Services: the name is a DNS label that may also be an environment variable prefix. */
  DNS_1035_LABEL(NameValidation::dns1035Label),
  /** RBAC roles and bindings: any name that is one path segment ({@code system:node}). */
  PATH_SEGMENT(NameValidation::pathSegment);

  private final Function<String, List<String>> check;

  NameRule(Function<String, List<String>> check) {
    this.check = check;
  }

  /** Kubernetes' messages for a bad name; empty when it is valid. */
  public List<String> check(String name) {
    return check.apply(name);
  }

  /**
   * Checks a {@code generateName}: a random suffix is appended to it, so a trailing dash is fine.
   */
  public List<String> checkPrefix(String prefix) {
    return check.apply(prefix.endsWith("-") ? prefix.substring(0, prefix.length() - 1) : prefix);
  }
}
