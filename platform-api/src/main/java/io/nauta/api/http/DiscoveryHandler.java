package io.nauta.api.http;

import io.nauta.core.errors.NotFoundException;
import io.nauta.core.registry.ResourceRegistry;
import io.nauta.core.registry.ResourceType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Legacy discovery, generated from the registry: {@code /version}, {@code /api}, {@code /apis},
 * {@code /api/v1}, {@code /apis/<group>/<version>}. Served as {@code application/json} with no
 * charset parameter: some client-go versions reject anything else.
 */
@Component
public class DiscoveryHandler {

  /** The Kubernetes version whose API Nauta serves a subset of. */
  static final String KUBE_MAJOR = "1";

  static final String KUBE_MINOR = "33";

  private final ResourceRegistry registry;
  private final JsonMapper mapper;

  public DiscoveryHandler(ResourceRegistry registry, JsonMapper mapper) {
    this.registry = registry;
    this.mapper = mapper;
  }

  Mono<ServerResponse> version(ServerRequest request) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("major", KUBE_MAJOR);
    v.put("minor", KUBE_MINOR);
    v.put("gitVersion", "v" + KUBE_MAJOR + "." + KUBE_MINOR + ".0-nauta");
    v.put("gitCommit", "nauta");
    v.put("gitTreeState", "clean");
    v.put("buildDate", "2026-11-27T00:00:00Z");
    v.put("goVersion", "java" + System.getProperty("java.specification.version"));
    v.put("compiler", "javac");
    v.put("platform", "linux/amd64");
    return json(v);
  }

  /**
   * {@code GET /}: the served paths, as Kubernetes' index handler lists them ({@code {"paths":
   * [...]}}, sorted) for an API client allowed {@code get} on {@code /} (cluster-admin; not {@code
   * system:discovery}). The groups and versions come from the registry, so custom resources' appear
   * as they come. A browser asking for HTML is sent to the console before this ({@code
   * console.BrowserRoot}).
   */
  Mono<ServerResponse> rootPaths(ServerRequest request) {
    java.util.SortedSet<String> paths =
        new java.util.TreeSet<>(
            List.of(
                "/.well-known/openid-configuration",
                "/api",
                "/api/v1",
                "/apis",
                "/apis/",
                "/console",
                "/healthz",
                "/livez",
                "/openapi/v2",
                "/openapi/v3",
                "/openapi/v3/",
                "/openid/v1/jwks",
                "/readyz",
                "/swagger-ui.html",
                "/v3/api-docs",
                "/version"));
    for (ResourceType t : registry.all()) {
      if (!t.group().isEmpty()) {
        paths.add("/apis/" + t.group());
        paths.add("/apis/" + t.group() + "/" + t.version());
      }
    }
    return json(Map.of("paths", List.copyOf(paths)));
  }

  Mono<ServerResponse> coreVersions(ServerRequest request) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", "APIVersions");
    body.put("versions", List.of("v1"));
    body.put(
        "serverAddressByClientCIDRs",
        List.of(Map.of("clientCIDR", "0.0.0.0/0", "serverAddress", request.uri().getAuthority())));
    return json(body);
  }

  Mono<ServerResponse> groups(ServerRequest request) {
    Map<String, List<String>> versionsByGroup = new LinkedHashMap<>();
    for (ResourceType t : registry.all()) {
      if (!t.group().isEmpty()) {
        List<String> vs = versionsByGroup.computeIfAbsent(t.group(), g -> new ArrayList<>());
        if (!vs.contains(t.version())) {
          vs.add(t.version());
        }
      }
    }
    List<Object> groups = new ArrayList<>();
    versionsByGroup.forEach((group, versions) -> groups.add(group(group, versions)));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", "APIGroupList");
    body.put("apiVersion", "v1");
    body.put("groups", groups);
    return json(body);
  }

  Mono<ServerResponse> group(ServerRequest request) {
    String name = request.pathVariable("group");
    List<String> versions =
        registry.all().stream()
            .filter(t -> t.group().equals(name))
            .map(ResourceType::version)
            .distinct()
            .toList();
    if (versions.isEmpty()) {
      return Mono.error(new NotFoundException("the server could not find the requested resource"));
    }
    Map<String, Object> body = group(name, versions);
    body.put("kind", "APIGroup");
    body.put("apiVersion", "v1");
    return json(body);
  }

  private static Map<String, Object> group(String name, List<String> versions) {
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("name", name);
    List<Object> vs = new ArrayList<>();
    for (String v : versions) {
      vs.add(Map.of("groupVersion", name + "/" + v, "version", v));
    }
    g.put("versions", vs);
    g.put("preferredVersion", vs.get(0));
    return g;
  }

  Mono<ServerResponse> resources(ServerRequest request) {
    String group = request.pathVariables().getOrDefault("group", "");
    String version = request.pathVariable("version");
    List<ResourceType> types = registry.inGroupVersion(group, version);
    if (types.isEmpty()) {
      return Mono.error(new NotFoundException("the server could not find the requested resource"));
    }
    List<Object> resources = new ArrayList<>();
    for (ResourceType t : types) {
      resources.add(resource(t));
      for (String sub : t.subresources()) {
        resources.add(subresource(t, sub));
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", "APIResourceList");
    body.put("apiVersion", "v1");
    body.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    body.put("resources", resources);
    return json(body);
  }

  private static Map<String, Object> resource(ResourceType t) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("name", t.plural());
    r.put("singularName", t.singular());
    r.put("namespaced", t.namespaced());
    r.put("kind", t.kind());
    r.put("verbs", t.verbs());
    if (!t.shortNames().isEmpty()) {
      r.put("shortNames", t.shortNames());
    }
    if (!t.categories().isEmpty()) {
      r.put("categories", t.categories());
    }
    return r;
  }

  private static Map<String, Object> subresource(ResourceType t, String sub) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("name", t.plural() + "/" + sub);
    r.put("singularName", "");
    r.put("namespaced", t.namespaced());
    switch (sub) {
      case "scale" -> {
        r.put("group", "autoscaling");
        r.put("version", "v1");
        r.put("kind", "Scale");
        r.put("verbs", List.of("get", "patch", "update"));
      }
      case "log" -> {
        r.put("kind", t.kind());
        r.put("verbs", List.of("get"));
      }
      case "token" -> {
        r.put("group", "authentication.k8s.io");
        r.put("version", "v1");
        r.put("kind", "TokenRequest");
        r.put("verbs", List.of("create"));
      }
      case "exec", "attach", "portforward" -> {
        // Connect subresources: GET upgrades to WebSocket, POST to SPDY.
        r.put(
            "kind",
            switch (sub) {
              case "exec" -> "PodExecOptions";
              case "attach" -> "PodAttachOptions";
              default -> "PodPortForwardOptions";
            });
        r.put("verbs", List.of("create", "get"));
      }
      case "binding" -> {
        r.put("kind", "Binding");
        r.put("verbs", List.of("create"));
      }
      case "eviction" -> {
        r.put("group", "policy");
        r.put("version", "v1");
        r.put("kind", "Eviction");
        r.put("verbs", List.of("create"));
      }
      default -> {
        r.put("kind", t.kind());
        r.put("verbs", List.of("get", "patch", "update"));
      }
    }
    return r;
  }

  private Mono<ServerResponse> json(Object body) {
    return ServerResponse.status(HttpStatus.OK)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(mapper.writeValueAsString(body));
  }
}
