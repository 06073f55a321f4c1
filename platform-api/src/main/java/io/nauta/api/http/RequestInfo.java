package io.nauta.api.http;

import io.nauta.core.errors.NotFoundException;
import java.util.Arrays;
import java.util.List;

/**
 * What a resource path names, parsed the way Kubernetes' {@code RequestInfoFactory} does: {@code
 * /api/v1/namespaces/default/pods/web/status} → group "", version v1, namespace default, resource
 * pods, name web, subresource status.
 */
public record RequestInfo(
    String group,
    String version,
    String namespace,
    String resource,
    String name,
    String subresource,
    boolean legacyWatch) {

  /** Subresources of a namespace, which look like a namespaced resource of that name. */
  private static final List<String> NAMESPACE_SUBRESOURCES = List.of("status", "finalize");

  /** Parses a path under {@code /api} or {@code /apis}; null when it names no resource. */
  public static RequestInfo parse(String path) {
    List<String> parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    if (parts.isEmpty()) {
      return null;
    }
    String group;
    int i;
    if (parts.get(0).equals("api")) {
      group = "";
      i = 1;
    } else if (parts.get(0).equals("apis")) {
      if (parts.size() < 2) {
        return null;
      }
      group = parts.get(1);
      i = 2;
    } else {
      return null;
    }
    if (parts.size() <= i + 1) {
      return null; // discovery: /api, /api/v1, /apis/apps/v1
    }
    String version = parts.get(i++);
    boolean watch = false;
    if (parts.get(i).equals("watch")) {
      watch = true;
      i++;
    }
    List<String> rest = parts.subList(i, parts.size());
    String namespace = null;
    if (rest.size() > 1 && rest.get(0).equals("namespaces")) {
      if (rest.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
        namespace = rest.get(1);
        rest = rest.subList(2, rest.size());
      }
    }
    if (rest.isEmpty() || rest.size() > 3) {
      throw new NotFoundException("the server could not find the requested resource");
    }
    return new RequestInfo(
        group,
        version,
        namespace,
        rest.get(0),
        rest.size() > 1 ? rest.get(1) : null,
        rest.size() > 2 ? rest.get(2) : null,
        watch);
  }
}
