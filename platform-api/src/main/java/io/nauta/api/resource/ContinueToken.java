package io.nauta.api.resource;

import io.nauta.core.errors.BadRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code continue} token of a paged list: the resourceVersion of the first page and the
 * sort key of the last object returned. Every later page is read as of that version, so the pages
 * together are one snapshot, as in Kubernetes.
 *
 * @param resourceVersion the first page's version, or {@link #LATEST} for a token handed out with a
 *     410 that continues at the latest version (Kubernetes' -1)
 */
public record ContinueToken(long resourceVersion, String after) {

  public static final long LATEST = -1;

  public boolean atLatest() {
    return resourceVersion == LATEST;
  }

  public String encode() {
    String raw = resourceVersion + "\n" + after;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Decodes a token for a list of {@code namespace} (null: all namespaces, or a cluster-scoped
   * kind). A token from a list of another namespace is refused here, as a forged one is: its
   * position lies outside this list's range, which the cache could not even look up.
   */
  public static ContinueToken decode(String token, String namespace) {
    ContinueToken decoded = decode(token);
    if (namespace != null && !decoded.after().startsWith(namespace + '\0')) {
      throw new BadRequestException(
          "continue key is not valid: it does not continue a list of namespace " + namespace);
    }
    return decoded;
  }

  public static ContinueToken decode(String token) {
    ContinueToken decoded;
    try {
      String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      int nl = raw.indexOf('\n');
      decoded = new ContinueToken(Long.parseLong(raw.substring(0, nl)), raw.substring(nl + 1));
    } catch (RuntimeException e) {
      throw new BadRequestException("continue key is not valid: " + token);
    }
    if (decoded.resourceVersion() == 0 || decoded.resourceVersion() < LATEST) {
      // As Kubernetes' storage.DecodeContinue: version 0 is no version.
      throw new BadRequestException(
          "continue key is not valid: incorrect encoded start resourceVersion (version"
              + " meta.k8s.io/v1)");
    }
    return decoded;
  }
}
