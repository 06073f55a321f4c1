package io.nauta.ingress.routes;

/**
 * One path of an Ingress rule, matched as the Ingress API defines: {@code Exact} the whole path,
 * case-sensitive; {@code Prefix} element by element ({@code /api} and {@code /api/} match {@code
 * /api} and {@code /api/x}, not {@code /apix}); {@code ImplementationSpecific} as {@code Prefix}.
 *
 * @param exact {@code Exact}, else a prefix
 * @param path the path as written
 * @param target where it goes
 * @param order the place of its Ingress among those sharing a path (oldest first), then its own
 */
public record PathRule(boolean exact, String path, Target target, long order) {

  /** The length a match is ranked by: longer wins, {@code Exact} before prefix at equal length. */
  int length() {
    return exact ? path.length() : normalizedPrefix().length();
  }

  boolean matches(String requestPath) {
    if (exact) {
      return requestPath.equals(path);
    }
    String p = normalizedPrefix();
    return p.isEmpty()
        || requestPath.equals(p)
        || (requestPath.startsWith(p) && requestPath.charAt(p.length()) == '/');
  }

  private String normalizedPrefix() {
    String p = path;
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
