package io.nauta.api.admission.podsecurity;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs the checks a level and version stand for, in upstream's order (baseline checks by id, then
 * restricted ones by id, so messages are stable), as upstream's {@code checkRegistry}: a version
 * newer than the newest revision of any check is checked as that newest one; at restricted, the
 * baseline checks a restricted one overrides are left out.
 */
public final class Evaluator {

  private final int maxMinor;
  private final List<List<Check.PodCheck>> baselineByMinor = new ArrayList<>();
  private final List<List<Check.PodCheck>> restrictedByMinor = new ArrayList<>();

  public Evaluator(List<Check> checks) {
    List<Check> ordered = new ArrayList<>(checks);
    ordered.sort(
        Comparator.comparing((Check c) -> c.level() == Level.RESTRICTED).thenComparing(Check::id));
    int max = 0;
    for (Check c : ordered) {
      max = Math.max(max, c.revisions().get(c.revisions().size() - 1).minimum().minor());
    }
    maxMinor = max;
    for (int minor = 0; minor <= maxMinor; minor++) {
      Set<String> overridden = new HashSet<>();
      for (Check c : ordered) {
        Check.Revision r = revisionAt(c, minor);
        if (c.level() == Level.RESTRICTED && r != null) {
          overridden.addAll(r.overrides());
        }
      }
      List<Check.PodCheck> baseline = new ArrayList<>();
      List<Check.PodCheck> restricted = new ArrayList<>();
      for (Check c : ordered) {
        Check.Revision r = revisionAt(c, minor);
        if (r == null) {
          continue;
        }
        if (c.level() == Level.BASELINE) {
          baseline.add(r.check());
          if (!overridden.contains(c.id())) {
            restricted.add(r.check());
          }
        } else {
          restricted.add(r.check());
        }
      }
      baselineByMinor.add(List.copyOf(baseline));
      restrictedByMinor.add(List.copyOf(restricted));
    }
  }

  /** Every check Kubernetes 1.33 enables by default. */
  public static Evaluator standard() {
    List<Check> all = new ArrayList<>(BaselineChecks.all());
    all.addAll(RestrictedChecks.all());
    return new Evaluator(all);
  }

  private static Check.Revision revisionAt(Check c, int minor) {
    Check.Revision applying = null;
    for (Check.Revision r : c.revisions()) {
      if (r.minimum().minor() <= minor) {
        applying = r;
      }
    }
    return applying;
  }

  /** Each check's result on the pod; none at privileged. */
  public List<CheckResult> evaluate(LevelVersion lv, ObjectMeta metadata, PodSpec spec) {
    if (lv.level() == Level.PRIVILEGED) {
      return List.of();
    }
    int minor = lv.version().latest() ? maxMinor : Math.min(lv.version().minor(), maxMinor);
    List<Check.PodCheck> checks =
        lv.level() == Level.BASELINE ? baselineByMinor.get(minor) : restrictedByMinor.get(minor);
    ObjectMeta meta = metadata == null ? new ObjectMeta() : metadata;
    List<CheckResult> results = new ArrayList<>(checks.size());
    for (Check.PodCheck check : checks) {
      results.add(check.check(meta, spec));
    }
    return results;
  }

  /** The checks' results taken together (upstream's {@code AggregateCheckResults}). */
  public Verdict verdict(LevelVersion lv, ObjectMeta metadata, PodSpec spec) {
    List<String> reasons = new ArrayList<>();
    List<String> details = new ArrayList<>();
    for (CheckResult r : evaluate(lv, metadata, spec)) {
      if (!r.allowed()) {
        reasons.add(r.reason().isEmpty() ? "unknown forbidden reason" : r.reason());
        details.add(r.detail());
      }
    }
    return new Verdict(reasons, details);
  }

  /** The forbidden reasons of every failed check, with their details at the same index. */
  public record Verdict(List<String> reasons, List<String> details) {

    public boolean allowed() {
      return reasons.isEmpty();
    }

    /** {@code host ports, privileged}: what checking a whole namespace reports per pod. */
    public String forbiddenReason() {
      return String.join(", ", reasons);
    }

    /** {@code hostPort (container "a" uses hostPort 80), privileged (…)}: one pod's report. */
    public String forbiddenDetail() {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < reasons.size(); i++) {
        if (i > 0) {
          b.append(", ");
        }
        b.append(reasons.get(i));
        if (!details.get(i).isEmpty()) {
          b.append(" (").append(details.get(i)).append(')');
        }
      }
      return b.toString();
    }
  }
}
