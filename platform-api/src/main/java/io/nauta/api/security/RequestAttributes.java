package io.nauta.api.security;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.util.MultiValueMap;

/**
 * What a request asks to do, read from its method, path and query exactly as Kubernetes' {@code
 * RequestInfoFactory} reads it: {@code GET /api/v1/namespaces/a/pods} is {@code list pods} in
 * {@code a}, {@code ?watch=true} or a {@code /watch/} path is {@code watch}, {@code DELETE} on a
 * collection is {@code deletecollection}; a path outside {@code /api} and {@code /apis} is a
 * non-resource request with the lower-case HTTP verb ({@code get /healthz}).
 */
public final class RequestAttributes {

  private static final Set<String> SPECIAL_VERBS = Set.of("proxy", "watch");
  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  private RequestAttributes() {}

  public static AuthorizationAttributes of(
      UserInfo user, String method, String path, MultiValueMap<String, String> query) {
    String lowerMethod = method.toLowerCase(Locale.ROOT);
    AuthorizationAttributes nonResource =
        AuthorizationAttributes.nonResource(user, lowerMethod, path);
    List<String> parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    if (parts.size() < 3) {
      return nonResource;
    }
    String prefix = parts.get(0);
    int i = 1;
    String group = "";
    if (prefix.equals("apis")) {
      if (parts.size() < 4) {
        return nonResource;
      }
      group = parts.get(i++);
    } else if (!prefix.equals("api")) {
      return nonResource;
    }
    String version = parts.get(i++);
    List<String> rest = parts.subList(i, parts.size());
    String verb;
    if (SPECIAL_VERBS.contains(rest.get(0))) {
      if (rest.size() < 2) {
        // Kubernetes fails such a request; nothing can be granted for it.
        return AuthorizationAttributes.resource(user, rest.get(0), group, version, "", "", "", "");
      }
      verb = rest.get(0);
      rest = rest.subList(1, rest.size());
    } else {
      // ?watch=true makes a list a watch (below), and nothing else: a named GET stays a get, as
      // Kubernetes has it, so a watch through a proxy subresource is authorized as its GET.
      verb =
          switch (method) {
            case "POST" -> "create";
            case "GET", "HEAD" -> "get";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> "";
          };
    }
    String namespace = "";
    if (rest.get(0).equals("namespaces")) {
      if (rest.size() > 1) {
        namespace = rest.get(1);
        // /namespaces/{ns}/{resource}…, but /namespaces/{name}/status is the namespace's own.
        if (rest.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
          rest = rest.subList(2, rest.size());
        }
      }
    }
    String resource = rest.get(0);
    String name = rest.size() >= 2 ? rest.get(1) : "";
    String subresource = rest.size() >= 3 && !verb.equals("proxy") ? rest.get(2) : "";
    if (name.isEmpty() && verb.equals("get")) {
      verb = isTrue(query.getFirst("watch")) ? "watch" : "list";
    }
    if (name.isEmpty() && (verb.equals("list") || verb.equals("watch"))) {
      // A list or watch of one object by field selector is authorized as that object.
      name = exactName(query.getFirst("fieldSelector"));
    }
    if (name.isEmpty() && verb.equals("delete")) {
      verb = "deletecollection";
    }
    return AuthorizationAttributes.resource(
        user, verb, group, version, resource, subresource, namespace, name);
  }

  private static boolean isTrue(String value) {
    // Go's strconv.ParseBool, as Kubernetes decodes the watch parameter.
    return value != null && List.of("1", "t", "T", "true", "TRUE", "True").contains(value);
  }

  /** The name a field selector requires exactly ({@code metadata.name=web}), or empty. */
  private static String exactName(String selector) {
    if (selector == null) {
      return "";
    }
    for (String term : selector.split(",")) {
      for (String op : List.of("==", "=")) {
        String prefix = "metadata.name" + op;
        if (term.trim().startsWith(prefix)) {
          String name = term.trim().substring(prefix.length());
          return name.equals(".") || name.equals("..") || name.contains("/") || name.contains("%")
              ? ""
              : name;
        }
      }
    }
    return "";
  }
}
