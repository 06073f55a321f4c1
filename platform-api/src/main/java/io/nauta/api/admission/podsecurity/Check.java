package io.nauta.api.admission.podsecurity;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.List;
import java.util.Set;

/**
 * One control of the Pod Security Standards, as upstream registers it: an id, the level it belongs
 * to and its revisions, each applying from a minimum version on (until the next one).
 */
public record Check(String id, Level level, List<Revision> revisions) {

  /** How a check looks at a pod: its metadata (annotations) and spec. */
  @FunctionalInterface
  public interface PodCheck {
    CheckResult check(ObjectMeta metadata, PodSpec spec);
  }

  /**
   * A revision of a check from {@code minimum} on. A restricted revision may override baseline
   * checks it supersedes (upstream's {@code OverrideCheckIDs}): those do not run at restricted.
   */
  public record Revision(PolicyVersion minimum, PodCheck check, Set<String> overrides) {}

  static Check baseline(String id, Revision... revisions) {
    return new Check(id, Level.BASELINE, List.of(revisions));
  }

  static Check restricted(String id, Revision... revisions) {
    return new Check(id, Level.RESTRICTED, List.of(revisions));
  }

  static Revision from(int minor, PodCheck check, String... overrides) {
    return new Revision(PolicyVersion.of(minor), check, Set.of(overrides));
  }
}
