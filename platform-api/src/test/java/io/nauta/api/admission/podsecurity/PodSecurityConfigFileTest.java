package io.nauta.api.admission.podsecurity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodSecurityConfigFileTest {

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void anAdmissionConfigurationGivesThePluginsDefaultsAndExemptionsTheRestPrivileged()
      throws IOException {
    Path file =
        write(
            "admission.yaml",
            """
            apiVersion: apiserver.config.k8s.io/v1
            kind: AdmissionConfiguration
            plugins:
            - name: PodSecurity
              configuration:
                apiVersion: pod-security.admission.config.k8s.io/v1
                kind: PodSecurityConfiguration
                defaults:
                  enforce: restricted
                  enforce-version: v1.30
                  warn: baseline
                exemptions:
                  usernames: [ci-bot]
                  runtimeClasses: [kata]
                  namespaces: [kube-system, monitoring]
            """);

    PodSecurityProperties p = PodSecurityConfigFile.read(file, true);

    Policy policy = p.defaults().toPolicy();
    assertThat(policy.enforce().toString()).isEqualTo("restricted:v1.30");
    assertThat(policy.warn().toString()).isEqualTo("baseline:latest");
    assertThat(policy.audit().toString()).isEqualTo("privileged:latest");
    assertThat(p.exemptions().usernames()).containsExactly("ci-bot");
    assertThat(p.exemptions().runtimeClasses()).containsExactly("kata");
    assertThat(p.exemptions().namespaces()).containsExactly("kube-system", "monitoring");
  }

  @Test
  void thePluginsConfigurationMayBeAFileOfItsOwn() throws IOException {
    write(
        "pod-security.yaml",
        """
        apiVersion: pod-security.admission.config.k8s.io/v1
        kind: PodSecurityConfiguration
        defaults: {enforce: baseline}
        """);
    Path file =
        write(
            "admission.yaml",
            """
            apiVersion: apiserver.config.k8s.io/v1
            kind: AdmissionConfiguration
            plugins: [{name: PodSecurity, path: pod-security.yaml}]
            """);

    PodSecurityProperties p = PodSecurityConfigFile.read(file, true);

    assertThat(p.defaults().toPolicy().enforce().toString()).isEqualTo("baseline:latest");
    assertThat(p.exemptions().namespaces()).isEmpty();
  }

  @Test
  void aBadLevelStopsTheServerWithTheReason() throws IOException {
    Path file =
        write(
            "bad.yaml",
            """
            apiVersion: pod-security.admission.config.k8s.io/v1
            kind: PodSecurityConfiguration
            defaults: {enforce: strict}
            """);

    assertThatThrownBy(() -> PodSecurityConfigFile.read(file, true))
        .hasMessageContaining(
            "nauta.pod-security.defaults.enforce: Invalid value: \"strict\": must be one of"
                + " privileged, baseline, restricted");
  }
}
