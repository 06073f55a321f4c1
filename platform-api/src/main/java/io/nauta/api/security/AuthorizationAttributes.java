package io.nauta.api.security;

/**
 * What a request asks to do, as Kubernetes' {@code authorizer.Attributes}: for a resource request
 * the verb ({@code get list watch create update patch delete deletecollection}, or {@code
 * impersonate}, {@code bind}, {@code escalate}…), API group, version, resource, subresource,
 * namespace (empty for cluster scope) and name; for other paths ({@code /healthz}, {@code /api})
 * the lower-case HTTP verb and the path.
 */
public record AuthorizationAttributes(
    UserInfo user,
    String verb,
    boolean resourceRequest,
    String apiGroup,
    String apiVersion,
    String resource,
    String subresource,
    String namespace,
    String name,
    String path) {

  public static AuthorizationAttributes resource(
      UserInfo user,
      String verb,
      String apiGroup,
      String apiVersion,
      String resource,
      String subresource,
      String namespace,
      String name) {
    return new AuthorizationAttributes(
        user,
        verb,
        true,
        nonNull(apiGroup),
        nonNull(apiVersion),
        nonNull(resource),
        nonNull(subresource),
        nonNull(namespace),
        nonNull(name),
        "");
  }

  public static AuthorizationAttributes nonResource(UserInfo user, String verb, String path) {
    return new AuthorizationAttributes(user, verb, false, "", "", "", "", "", "", path);
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
