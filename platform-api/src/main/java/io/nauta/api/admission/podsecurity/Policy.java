package io.nauta.api.admission.podsecurity;

import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a namespace's pods are checked against in each mode: {@code enforce} refuses, {@code audit}
 * annotates the audit event, {@code warn} answers with warnings.
 */
public record Policy(LevelVersion enforce, LevelVersion audit, LevelVersion warn) {

  public static final String PREFIX = "pod-security.kubernetes.io/";
  public static final String ENFORCE = PREFIX + "enforce";
  public static final String ENFORCE_VERSION = PREFIX + "enforce-version";
  public static final String AUDIT = PREFIX + "audit";
  public static final String AUDIT_VERSION = PREFIX + "audit-version";
  public static final String WARN = PREFIX + "warn";
  public static final String WARN_VERSION = PREFIX + "warn-version";

  /** A namespace's policy and what was wrong with its labels, if anything. */
  public record Evaluation(Policy policy, List<FieldError> errors) {}

  public boolean fullyPrivileged() {
    return enforce.level() == Level.PRIVILEGED
        && audit.level() == Level.PRIVILEGED
        && warn.level() == Level.PRIVILEGED;
  }

  public boolean equivalent(Policy other) {
    return enforce.equivalent(other.enforce)
        && audit.equivalent(other.audit)
        && warn.equivalent(other.warn);
  }

  /**
   * The policy a namespace's labels ask for, each mode falling back to {@code defaults} when its
   * label is absent (upstream's {@code PolicyToEvaluate}). A label that cannot be parsed is an
   * error, and then enforces {@code restricted:latest} while audit and warn fail open to
   * privileged. Without its own {@code warn} label, warn follows a stricter enforce label.
   */
  public static Evaluation of(Map<String, String> labels, Policy defaults) {
    List<FieldError> errors = new ArrayList<>();
    if (labels == null || labels.isEmpty()) {
      return new Evaluation(defaults, errors);
    }
    Level enforceLevel = defaults.enforce.level();
    PolicyVersion enforceVersion = defaults.enforce.version();
    Level auditLevel = defaults.audit.level();
    PolicyVersion auditVersion = defaults.audit.version();
    Level warnLevel = defaults.warn.level();
    PolicyVersion warnVersion = defaults.warn.version();
    boolean hasEnforceLevel = false;
    if (labels.containsKey(ENFORCE)) {
      Level l = level(labels, ENFORCE, errors);
      hasEnforceLevel = l != null;
      enforceLevel = l == null ? Level.RESTRICTED : l;
    }
    if (labels.containsKey(ENFORCE_VERSION)) {
      enforceVersion = version(labels, ENFORCE_VERSION, errors);
    }
    if (labels.containsKey(AUDIT)) {
      Level l = level(labels, AUDIT, errors);
      auditLevel = l == null ? Level.PRIVILEGED : l;
    }
    if (labels.containsKey(AUDIT_VERSION)) {
      auditVersion = version(labels, AUDIT_VERSION, errors);
    }
    boolean hasWarnLevel = labels.containsKey(WARN);
    if (hasWarnLevel) {
      Level l = level(labels, WARN, errors);
      warnLevel = l == null ? Level.PRIVILEGED : l;
    }
    boolean hasWarnVersion = labels.containsKey(WARN_VERSION);
    if (hasWarnVersion) {
      warnVersion = version(labels, WARN_VERSION, errors);
    }
    if (!hasWarnLevel && hasEnforceLevel && enforceLevel.stricterThan(warnLevel)) {
      warnLevel = enforceLevel;
      if (!hasWarnVersion) {
        warnVersion = enforceVersion;
      }
    }
    return new Evaluation(
        new Policy(
            LevelVersion.of(enforceLevel, enforceVersion),
            LevelVersion.of(auditLevel, auditVersion),
            LevelVersion.of(warnLevel, warnVersion)),
        errors);
  }

  private static Level level(Map<String, String> labels, String key, List<FieldError> errors) {
    String value = labels.get(key);
    try {
      return Level.parse(value);
    } catch (IllegalArgumentException e) {
      errors.add(FieldError.invalid(field(key), value, e.getMessage()));
      return null;
    }
  }

  private static PolicyVersion version(
      Map<String, String> labels, String key, List<FieldError> errors) {
    String value = labels.get(key);
    try {
      return PolicyVersion.parse(value);
    } catch (IllegalArgumentException e) {
      errors.add(FieldError.invalid(field(key), value, e.getMessage()));
      return PolicyVersion.LATEST;
    }
  }

  private static String field(String label) {
    return "metadata.labels[" + label + "]";
  }
}
