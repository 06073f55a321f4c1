package io.nauta.agent.runtime.docker;

/**
 * An image reference split as Docker's pull takes it: {@code repository} and {@code tag} (a tag or
 * a digest), and the registry it names ({@code docker.io} when the first part is no host).
 */
record ImageRef(String registry, String repository, String tag) {

  // The grammar of Docker's references (distribution/reference), which the kubelet parses an
  // image with before anything else.
  private static final String ALNUM = "[a-z0-9]+";
  private static final String PATH = ALNUM + "(?:(?:[._]|__|-+)" + ALNUM + ")*";
  private static final String DOMAIN_PART = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String DOMAIN =
      "(?:" + DOMAIN_PART + "(?:\\." + DOMAIN_PART + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?";
  private static final String NAME = "(?:" + DOMAIN + "/)?" + PATH + "(?:/" + PATH + ")*";
  private static final String TAG = "[\\w][\\w.-]{0,127}";
  private static final String DIGEST =
      "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
  private static final java.util.regex.Pattern REFERENCE =
      java.util.regex.Pattern.compile(NAME + "(?::" + TAG + ")?(?:@" + DIGEST + ")?");

  /**
   * Null for a reference Docker can parse, else why not in its words ({@code invalid reference
   * format}, with {@code : repository name must be lowercase} when only capitals are wrong).
   */
  static String invalid(String image) {
    if (image != null && REFERENCE.matcher(image).matches()) {
      return null;
    }
    if (image != null
        && !image.isEmpty()
        && REFERENCE.matcher(image.toLowerCase(java.util.Locale.ROOT)).matches()) {
      return "invalid reference format: repository name must be lowercase";
    }
    return "invalid reference format";
  }

  static ImageRef parse(String image) {
    String repository = image;
    String tag = "latest";
    int at = image.indexOf('@');
    if (at >= 0) {
      repository = image.substring(0, at);
      tag = image.substring(at + 1);
    } else {
      int slash = image.lastIndexOf('/');
      int colon = image.lastIndexOf(':');
      if (colon > slash) {
        repository = image.substring(0, colon);
        tag = image.substring(colon + 1);
      }
    }
    int first = repository.indexOf('/');
    String host = first < 0 ? "" : repository.substring(0, first);
    boolean isHost = host.contains(".") || host.contains(":") || host.equals("localhost");
    return new ImageRef(isHost ? host : "docker.io", repository, tag);
  }

  /** Whether the registry is on this machine's loopback. */
  boolean loopbackRegistry() {
    String host = registry;
    if (host.startsWith("[")) {
      host = host.substring(1, Math.max(1, host.indexOf(']')));
    } else if (host.contains(":")) {
      host = host.substring(0, host.indexOf(':'));
    }
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  /** Kubernetes' default pull policy: {@code Always} for {@code :latest} or untagged images. */
  static String defaultPullPolicy(String image) {
    if (image.contains("@")) {
      return "IfNotPresent";
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    boolean tagged = colon > slash;
    return !tagged || image.endsWith(":latest") ? "Always" : "IfNotPresent";
  }
}
