package io.nauta.federation.overrides;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image reference split as Karmada's {@code imageparser} does: {@code
 * [hostname[:port]/]repository[:tag|@digest]}. The grammar is the distribution project's reference
 * grammar, not normalised (no {@code docker.io/library/} added), so an override changes only the
 * component it names. The first path element is the hostname only when it holds a dot or a colon or
 * is {@code localhost}; when an image has both a tag and a digest the tag is kept, as {@code
 * reference.Parse} then yields a tagged reference.
 */
final class ImageComponents {

  private static final String ALNUM = "[a-z0-9]+";
  private static final String SEPARATOR = "(?:[._]|__|[-]+)";
  private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
  private static final String DOMAIN_COMPONENT =
      "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String HOST =
      "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[(?:[a-fA-F0-9:]+)\\])";
  private static final String DOMAIN = HOST + "(?::[0-9]+)?";
  private static final String TAG = "[\\w][\\w.-]{0,127}";
  private static final String DIGEST =
      "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";
  private static final String NAME =
      "(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
  private static final Pattern REFERENCE =
      Pattern.compile("^(" + NAME + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?$");
  private static final Pattern ANCHORED_TAG = Pattern.compile("^" + TAG + "$");
  private static final Pattern ANCHORED_DIGEST = Pattern.compile("^" + DIGEST + "$");
  private static final int NAME_TOTAL_LENGTH_MAX = 255;

  private String hostname;
  private String repository;
  private String tag;
  private String digest;

  private ImageComponents(String hostname, String repository, String tag, String digest) {
    this.hostname = hostname;
    this.repository = repository;
    this.tag = tag;
    this.digest = digest;
  }

  /**
   * Parses {@code image}.
   *
   * @throws IllegalArgumentException when it is not a valid reference
   */
  static ImageComponents parse(String image) {
    if (image == null || image.isEmpty()) {
      throw new IllegalArgumentException("repository name must have at least one component");
    }
    Matcher m = REFERENCE.matcher(image);
    if (!m.matches()) {
      throw new IllegalArgumentException("invalid reference format: " + image);
    }
    String name = m.group(1);
    if (name.length() > NAME_TOTAL_LENGTH_MAX) {
      throw new IllegalArgumentException(
          "repository name must not be more than " + NAME_TOTAL_LENGTH_MAX + " characters");
    }
    String host = "";
    String remote = name;
    int slash = name.indexOf('/');
    if (slash >= 0) {
      String first = name.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        host = first;
        remote = name.substring(slash + 1);
      }
    }
    String tag = m.group(2) == null ? "" : m.group(2);
    String digest = tag.isEmpty() && m.group(3) != null ? m.group(3) : "";
    return new ImageComponents(host, remote, tag, digest);
  }

  String hostname() {
    return hostname;
  }

  void hostname(String value) {
    hostname = value;
  }

  String repository() {
    return repository;
  }

  void repository(String value) {
    repository = value;
  }

  String tagOrDigest() {
    return tag.isEmpty() ? digest : tag;
  }

  /** Sets the tag or the digest, whichever {@code value} is; a value that is neither is ignored. */
  void tagOrDigest(String value) {
    if (ANCHORED_TAG.matcher(value).matches()) {
      tag = value;
      digest = "";
    } else if (ANCHORED_DIGEST.matcher(value).matches()) {
      digest = value;
      tag = "";
    }
  }

  void removeTagOrDigest() {
    if (!tag.isEmpty()) {
      tag = "";
    } else {
      digest = "";
    }
  }

  @Override
  public String toString() {
    String full = hostname.isEmpty() ? repository : hostname + "/" + repository;
    if (!tag.isEmpty()) {
      return full + ":" + tag;
    }
    if (!digest.isEmpty()) {
      return full + "@" + digest;
    }
    return full;
  }
}
