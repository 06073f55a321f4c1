package io.nauta.api.admission.podsecurity;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Pod Security Admission's settings ({@code nauta.pod-security.*}), the fields of upstream's {@code
 * PodSecurityConfiguration} (kube-apiserver's {@code --admission-control-config-file}).
 *
 * @param enabled {@code false} leaves the plugin out, as a kube-apiserver without it
 * @param defaults the policy of a namespace whose labels do not set a mode
 * @param exemptions requests never checked
 * @param configFile kube-apiserver's admission configuration file (an {@code
 *     AdmissionConfiguration} naming the {@code PodSecurity} plugin, or its {@code
 *     PodSecurityConfiguration} alone); when set, its defaults and exemptions replace these
 */
@ConfigurationProperties("nauta.pod-security")
public record PodSecurityProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue Defaults defaults,
    @DefaultValue Exemptions exemptions,
    @DefaultValue("") String configFile) {

  /** These settings, or the configuration file's when one is named. */
  PodSecurityProperties resolved() {
    return configFile.isBlank()
        ? this
        : PodSecurityConfigFile.read(java.nio.file.Path.of(configFile), enabled);
  }

  /**
   * Each mode's level and version where a namespace has no label for it. Unlike upstream's defaults
   * (all privileged), Nauta enforces {@code baseline} out of the box, and warns and audits at it,
   * so a workload whose pods would be refused says so when it is created.
   */
  public record Defaults(
      @DefaultValue("baseline") String enforce,
      @DefaultValue("latest") String enforceVersion,
      @DefaultValue("baseline") String audit,
      @DefaultValue("latest") String auditVersion,
      @DefaultValue("baseline") String warn,
      @DefaultValue("latest") String warnVersion) {

    /** The default policy; a bad value stops the server at start with upstream's message. */
    Policy toPolicy() {
      return new Policy(
          mode("enforce", enforce, "enforce-version", enforceVersion),
          mode("audit", audit, "audit-version", auditVersion),
          mode("warn", warn, "warn-version", warnVersion));
    }

    private static LevelVersion mode(
        String levelKey, String level, String versionKey, String version) {
      Level l;
      PolicyVersion v;
      try {
        l = Level.parse(level);
      } catch (IllegalArgumentException e) {
        throw invalid("defaults." + levelKey, level, e);
      }
      try {
        v = PolicyVersion.parse(version);
      } catch (IllegalArgumentException e) {
        throw invalid("defaults." + versionKey, version, e);
      }
      return LevelVersion.of(l, v);
    }

    private static IllegalStateException invalid(String field, String value, Exception e) {
      return new IllegalStateException(
          "nauta.pod-security." + field + ": Invalid value: \"" + value + "\": " + e.getMessage());
    }
  }

  /**
   * Who and what is never checked: requests by these users, pods (and templates) naming these
   * runtime classes, anything in these namespaces. {@code kube-system} by default, where the
   * cluster's own components run with host access.
   */
  public record Exemptions(
      @DefaultValue List<String> usernames,
      @DefaultValue("kube-system") List<String> namespaces,
      @DefaultValue List<String> runtimeClasses) {}
}
