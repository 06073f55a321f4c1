package io.nauta.agent.auth;

import org.springframework.http.HttpMethod;

/**
 * What a call to the agent's port asks, in the terms of the API server's authorizer, as the
 * kubelet's {@code NodeAuthorizerAttributesGetter}: the verb from the HTTP method, resource {@code
 * nodes} of the core group, the node's name, and the subresource from the path ({@code stats},
 * {@code metrics} (also the agent's {@code /actuator/prometheus}), {@code log}, else {@code proxy}:
 * logs, exec and everything else).
 */
public record NodeRequestAttributes(String verb, String subresource, String node, String path) {

  public static NodeRequestAttributes of(HttpMethod method, String path, String node) {
    return new NodeRequestAttributes(verb(method), subresource(path), node, path);
  }

  static String verb(HttpMethod method) {
    if (HttpMethod.POST.equals(method)) {
      return "create";
    }
    if (HttpMethod.GET.equals(method)) {
      return "get";
    }
    if (HttpMethod.PUT.equals(method)) {
      return "update";
    }
    if (HttpMethod.PATCH.equals(method)) {
      return "patch";
    }
    if (HttpMethod.DELETE.equals(method)) {
      return "delete";
    }
    // The kubelet leaves the verb empty for other methods; no rule grants an empty verb.
    return "";
  }

  static String subresource(String path) {
    if (isSubpath(path, "/stats")) {
      return "stats";
    }
    // The agent's own Prometheus endpoint is its /metrics.
    if (isSubpath(path, "/metrics")
        || isSubpath(path, "/actuator/prometheus")
        || isSubpath(path, "/actuator/metrics")) {
      return "metrics";
    }
    if (isSubpath(path, "/logs")) {
      return "log";
    }
    return "proxy";
  }

  private static boolean isSubpath(String path, String prefix) {
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }

  /** The kubelet's 403 text. */
  String forbidden(String user) {
    return "Forbidden " + described(user);
  }

  /** The kubelet's 500 text when the API server could not be asked. */
  String authorizationError(String user) {
    return "Authorization error " + described(user);
  }

  private String described(String user) {
    return "(user="
        + user
        + ", verb="
        + verb
        + ", resource=nodes, subresource="
        + subresource
        + ")";
  }
}
