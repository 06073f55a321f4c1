package io.nauta.api.security;

import java.util.List;

/**
 * Paths served without credentials, as Kubernetes' {@code system:public-info-viewer} role opens
 * them to {@code system:unauthenticated}: the health endpoints (with their per-check sub-paths) and
 * the version.
 */
final class PublicPaths {

  private static final List<String> ROOTS = List.of("/healthz", "/livez", "/readyz", "/version");

  private PublicPaths() {}

  static boolean isPublic(String path) {
    for (String root : ROOTS) {
      if (path.equals(root) || path.startsWith(root + "/")) {
        return true;
      }
    }
    return false;
  }
}
