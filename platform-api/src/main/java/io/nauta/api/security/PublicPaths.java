package io.nauta.api.security;

import java.util.List;

/**
 * Paths served without credentials, as Kubernetes' {@code system:public-info-viewer} role opens
 * them to {@code system:unauthenticated}: the health endpoints (with their per-check sub-paths) and
 * the version. Also Swagger UI (its page, its assets and Springdoc's document it renders): a
 * browser loads them before a person can paste a token into the Authorize dialog, and they hold the
 * API's shape, no cluster data. kubectl's {@code /openapi/v3} still needs credentials, as in
 * Kubernetes; the bootstrap role {@code nauta:swagger-ui-viewer} grants the Swagger UI paths to
 * everyone. And the console's page and assets ({@code /console}), for the same reason: it asks for
 * a token and reads the cluster through the API with it; {@code nauta:console-viewer} grants them.
 *
 * <p>And kubeadm's {@code kube-public/cluster-info} ConfigMap, which a joining node reads before it
 * trusts anything (Kubernetes lets anonymous requests through to RBAC everywhere; Nauta only where
 * a default role grants them something): RBAC decides, and the Role {@code
 * kubeadm:bootstrap-signer-clusterinfo} lets {@code system:anonymous} get it and nothing else.
 */
final class PublicPaths {

  private static final List<String> ROOTS =
      List.of(
          "/healthz",
          "/livez",
          "/readyz",
          "/version",
          "/swagger-ui.html",
          "/swagger-ui",
          "/v3/api-docs",
          "/console");

  private static final List<String> EXACT =
      List.of("/api/v1/namespaces/kube-public/configmaps/cluster-info");

  private PublicPaths() {}

  static boolean isPublic(String path) {
    if (EXACT.contains(path)) {
      return true;
    }
    for (String root : ROOTS) {
      if (path.equals(root) || path.startsWith(root + "/")) {
        return true;
      }
    }
    return false;
  }
}
