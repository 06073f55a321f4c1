package io.nauta.api.admission.podsecurity;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.core.errors.FieldError;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

  private final Evaluator evaluator = Evaluator.standard();

  private static final LevelVersion RESTRICTED =
      LevelVersion.of(Level.RESTRICTED, PolicyVersion.LATEST);
  private static final LevelVersion BASELINE =
      LevelVersion.of(Level.BASELINE, PolicyVersion.LATEST);

  private Evaluator.Verdict verdict(LevelVersion lv, String yaml) {
    Pods.Pod pod = Pods.pod(yaml);
    return evaluator.verdict(lv, pod.metadata(), pod.spec());
  }

  @Test
  void aPrivilegedPodAtRestrictedListsEachViolationBaselineFirstThenRestrictedById() {
    Evaluator.Verdict v =
        verdict(
            RESTRICTED,
            "spec: {containers: [{name: c, image: i, securityContext: {privileged: true}}]}");

    assertThat(v.forbiddenDetail())
        .isEqualTo(
            "privileged (container \"c\" must not set securityContext.privileged=true),"
                + " allowPrivilegeEscalation != false (container \"c\" must set"
                + " securityContext.allowPrivilegeEscalation=false), unrestricted capabilities"
                + " (container \"c\" must set securityContext.capabilities.drop=[\"ALL\"]),"
                + " runAsNonRoot != true (pod or container \"c\" must set"
                + " securityContext.runAsNonRoot=true), seccompProfile (pod or container \"c\""
                + " must set securityContext.seccompProfile.type to \"RuntimeDefault\" or"
                + " \"Localhost\")");
    assertThat(v.forbiddenReason())
        .isEqualTo(
            "privileged, allowPrivilegeEscalation != false, unrestricted capabilities,"
                + " runAsNonRoot != true, seccompProfile");
  }

  @Test
  void restrictedChecksReplaceTheBaselineChecksTheyOverride() {
    String pod =
        """
        spec:
          volumes: [{name: h, hostPath: {path: /}}]
          securityContext: {runAsNonRoot: true, seccompProfile: {type: Unconfined}}
          containers:
          - name: c
            securityContext:
              allowPrivilegeEscalation: false
              capabilities: {add: [NET_ADMIN], drop: [ALL]}
        """;

    assertThat(verdict(BASELINE, pod).forbiddenDetail())
        .isEqualTo(
            "non-default capabilities (container \"c\" must not include \"NET_ADMIN\" in"
                + " securityContext.capabilities.add), hostPath volumes (volume \"h\"),"
                + " seccompProfile (pod must not set securityContext.seccompProfile.type to"
                + " \"Unconfined\")");
    assertThat(verdict(RESTRICTED, pod).forbiddenDetail())
        .isEqualTo(
            "unrestricted capabilities (container \"c\" must not include \"NET_ADMIN\" in"
                + " securityContext.capabilities.add), restricted volume types (volume \"h\""
                + " uses restricted volume type \"hostPath\"), seccompProfile (pod must not set"
                + " securityContext.seccompProfile.type to \"Unconfined\")");
  }

  @Test
  void aVersionRunsTheChecksOfThatVersionAndNewerOnesRunTheNewest() {
    String pod =
        """
        spec:
          securityContext: {runAsNonRoot: true, runAsUser: 0, seccompProfile: {type: RuntimeDefault}}
          containers:
          - {name: c, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}
        """;

    assertThat(verdict(LevelVersion.of(Level.RESTRICTED, PolicyVersion.of(22)), pod).allowed())
        .isTrue();
    assertThat(
            verdict(LevelVersion.of(Level.RESTRICTED, PolicyVersion.of(23)), pod).forbiddenDetail())
        .isEqualTo("runAsUser=0 (pod must not set runAsUser=0)");
    assertThat(verdict(LevelVersion.of(Level.RESTRICTED, PolicyVersion.of(99)), pod).reasons())
        .containsExactly("runAsUser=0");
  }

  @Test
  void privilegedChecksNothing() {
    assertThat(
            verdict(
                    LevelVersion.of(Level.PRIVILEGED, PolicyVersion.LATEST),
                    "spec: {hostNetwork: true, containers: [{name: c}]}")
                .allowed())
        .isTrue();
  }

  // ---- the namespace labels

  private static final Policy DEFAULTS =
      new Policy(
          LevelVersion.of(Level.BASELINE, PolicyVersion.LATEST),
          LevelVersion.of(Level.PRIVILEGED, PolicyVersion.LATEST),
          LevelVersion.of(Level.PRIVILEGED, PolicyVersion.LATEST));

  @Test
  void labelsOverrideTheDefaultsModeByModeAndWarnFollowsAStricterEnforce() {
    Policy.Evaluation e =
        Policy.of(Map.of(Policy.ENFORCE, "restricted", Policy.ENFORCE_VERSION, "v1.30"), DEFAULTS);

    assertThat(e.errors()).isEmpty();
    assertThat(e.policy().enforce().toString()).isEqualTo("restricted:v1.30");
    assertThat(e.policy().audit().toString()).isEqualTo("privileged:latest");
    assertThat(e.policy().warn().toString()).isEqualTo("restricted:v1.30");
    assertThat(Policy.of(Map.of(), DEFAULTS).policy()).isEqualTo(DEFAULTS);
  }

  @Test
  void badLabelsAreErrorsThatEnforceRestrictedAndFailOpenForAuditAndWarn() {
    Policy.Evaluation e =
        Policy.of(
            Map.of(Policy.ENFORCE, "foo", Policy.WARN, "bar", Policy.AUDIT_VERSION, "1.2"),
            DEFAULTS);

    assertThat(e.errors())
        .extracting(FieldError::message)
        .containsExactlyInAnyOrder(
            "metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"foo\": must"
                + " be one of privileged, baseline, restricted",
            "metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: \"bar\": must be"
                + " one of privileged, baseline, restricted",
            "metadata.labels[pod-security.kubernetes.io/audit-version]: Invalid value: \"1.2\":"
                + " must be \"latest\" or \"v1.x\"");
    assertThat(e.policy().enforce().level()).isEqualTo(Level.RESTRICTED);
    assertThat(e.policy().warn().level()).isEqualTo(Level.PRIVILEGED);
  }

  @Test
  void versionsParseAsUpstreamParsesThem() {
    assertThat(PolicyVersion.parse("v1.0")).isEqualTo(PolicyVersion.of(0));
    assertThat(PolicyVersion.parse("latest").latest()).isTrue();
    for (String bad : new String[] {"v1.01", "v2.1", "1.2", "v1.", ""}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> PolicyVersion.parse(bad))
          .hasMessage("must be \"latest\" or \"v1.x\"");
    }
  }
}
