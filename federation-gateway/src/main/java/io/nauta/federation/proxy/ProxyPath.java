package io.nauta.federation.proxy;

/**
 * A cluster proxy path taken apart: {@code /apis/cluster.karmada.io/v1alpha1/clusters/usa-3/proxy
 * /api/v1/pods} is cluster {@code usa-3} and the member path {@code /api/v1/pods} (still encoded,
 * as the caller sent it; {@code /} when nothing follows {@code proxy}).
 */
record ProxyPath(String cluster, String rest) {

  /** Null when the raw path is not {@code <prefix><name>/proxy[/...]}. */
  static ProxyPath parse(String rawPath) {
    if (!rawPath.startsWith(MemberProxyHandler.PREFIX)) {
      return null;
    }
    String tail = rawPath.substring(MemberProxyHandler.PREFIX.length());
    int slash = tail.indexOf('/');
    if (slash <= 0) {
      return null;
    }
    String cluster = tail.substring(0, slash);
    String after = tail.substring(slash);
    if (after.equals("/proxy")) {
      return new ProxyPath(cluster, "/");
    }
    if (!after.startsWith("/proxy/")) {
      return null;
    }
    return new ProxyPath(cluster, after.substring("/proxy".length()));
  }
}
