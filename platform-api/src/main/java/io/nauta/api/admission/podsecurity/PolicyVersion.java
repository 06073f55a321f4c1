package io.nauta.api.admission.podsecurity;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version of the Pod Security Standards a level is checked at: {@code latest} or {@code
 * v1.<minor>}. A version newer than every check's is checked as the newest known one.
 */
public record PolicyVersion(int minor, boolean latest) {

  public static final PolicyVersion LATEST = new PolicyVersion(0, true);

  static final String MUST_BE = "must be \"latest\" or \"v1.x\"";

  private static final Pattern FORMAT = Pattern.compile("^v1\\.([0-9]|[1-9][0-9]*)$");

  public static PolicyVersion of(int minor) {
    return new PolicyVersion(minor, false);
  }

  /** {@code latest} or {@code v1.x}; anything else is refused with upstream's message. */
  public static PolicyVersion parse(String value) {
    if ("latest".equals(value)) {
      return LATEST;
    }
    Matcher m = FORMAT.matcher(value == null ? "" : value);
    if (!m.matches()) {
      throw new IllegalArgumentException(MUST_BE);
    }
    try {
      return of(Integer.parseInt(m.group(1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(MUST_BE);
    }
  }

  /** Whether this version is older than {@code other}; latest is newer than any number. */
  public boolean olderThan(PolicyVersion other) {
    if (latest) {
      return false;
    }
    return other.latest || minor < other.minor;
  }

  @Override
  public String toString() {
    return latest ? "latest" : "v1." + minor;
  }
}
