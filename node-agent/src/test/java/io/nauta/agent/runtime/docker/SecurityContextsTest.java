package io.nauta.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.nauta.agent.runtime.SecuritySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecurityContextsTest {

  @TempDir Path seccompRoot;

  @Test
  void theContainersUserAndGroupWinOverThePodsAndTheGroupsComeFromThePodFsGroupFirst() {
    Pod pod =
        pod(
            new PodSecurityContextBuilder()
                .withRunAsUser(1000L)
                .withRunAsGroup(3000L)
                .withFsGroup(2000L)
                .withSupplementalGroups(10L, 11L)
                .build(),
            new SecurityContextBuilder().withRunAsUser(1001L).build());
    SecuritySettings s = settings(pod);
    HostConfig host = applied(s);

    assertThat(SecurityContexts.user(s, null)).isEqualTo("1001:3000");
    assertThat(host.getGroupAdd()).containsExactly("2000", "10", "11");
    assertThat(SecurityContexts.user(settings(pod(null, null)), null)).isNull();
  }

  @ParameterizedTest(name = "runAsGroup 5 with image user \"{0}\" runs as {1}")
  @CsvSource(
      value = {"'',0:5", "app,app:5", "app:staff,app:5", "1000:1000,1000:5"},
      quoteCharacter = '\'')
  void aGroupWithoutAUserGoesWithTheImagesUser(String imageUser, String expected) {
    SecuritySettings s =
        settings(pod(null, new SecurityContextBuilder().withRunAsGroup(5L).build()));

    assertThat(SecurityContexts.needsImageUser(s)).isTrue();
    assertThat(SecurityContexts.user(s, imageUser)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "runAsUser {0}, image user \"{1}\": {2}")
  @CsvSource(
      value = {
        "'',''," + "container has runAsNonRoot and image will run as root",
        "'','0:0',container has runAsNonRoot and image will run as root",
        "'','root','container has runAsNonRoot and image has non-numeric user (root), cannot"
            + " verify user is non-root'",
        "'','1000',",
        "'','1000:0',",
        "0,'1000',container's runAsUser breaks non-root policy",
        "1000,'',"
      },
      quoteCharacter = '\'')
  void runAsNonRootRefusesWhatWouldRunAsRootWithTheKubeletsMessage(
      String runAsUser, String imageUser, String message) {
    SecurityContextBuilder sc = new SecurityContextBuilder().withRunAsNonRoot(true);
    if (!runAsUser.isEmpty()) {
      sc.withRunAsUser(Long.parseLong(runAsUser));
    }
    Pod pod = pod(null, sc.build());
    SecuritySettings s = settings(pod);

    String error = SecurityContexts.verifyRunAsNonRoot(pod, container(pod), s, imageUser);

    assertThat(error)
        .isEqualTo(
            message == null ? null : message + " (pod: \"web_shop(uid-1)\", container: app)");
    assertThat(SecurityContexts.needsImageUser(s)).isEqualTo(runAsUser.isEmpty());
  }

  @Test
  void runAsNonRootOnThePodAppliesToItsContainersUnlessOneSaysOtherwise() {
    Pod strict = pod(new PodSecurityContextBuilder().withRunAsNonRoot(true).build(), null);
    Pod relaxed =
        pod(
            new PodSecurityContextBuilder().withRunAsNonRoot(true).build(),
            new SecurityContextBuilder().withRunAsNonRoot(false).build());

    assertThat(SecurityContexts.verifyRunAsNonRoot(strict, container(strict), settings(strict), ""))
        .startsWith("container has runAsNonRoot and image will run as root");
    assertThat(
            SecurityContexts.verifyRunAsNonRoot(relaxed, container(relaxed), settings(relaxed), ""))
        .isNull();
  }

  @Test
  void capabilitiesPrivilegedReadOnlyRootAndNoNewPrivilegesBecomeDockersFields() {
    SecuritySettings s =
        settings(
            pod(
                null,
                new SecurityContextBuilder()
                    .withPrivileged(true)
                    .withReadOnlyRootFilesystem(true)
                    .withAllowPrivilegeEscalation(false)
                    .withNewCapabilities()
                    .withDrop("ALL")
                    .withAdd("NET_BIND_SERVICE", "CAP_SYS_TIME")
                    .endCapabilities()
                    .build()));
    HostConfig host = applied(s);

    assertThat(host.getPrivileged()).isTrue();
    assertThat(host.getReadonlyRootfs()).isTrue();
    assertThat(host.getCapDrop()).containsExactly(Capability.ALL);
    assertThat(host.getCapAdd()).containsExactly(Capability.NET_BIND_SERVICE, Capability.SYS_TIME);
    assertThat(host.getSecurityOpts()).containsExactly("no-new-privileges", "seccomp=unconfined");
  }

  @Test
  void nothingSaidLeavesDockersDefaultsButSeccompWhichIsUnconfinedAsOnKubernetes() {
    HostConfig host = applied(settings(pod(null, null)));

    assertThat(host.getPrivileged()).isNull();
    assertThat(host.getReadonlyRootfs()).isNull();
    assertThat(host.getCapAdd()).isNull();
    assertThat(host.getCapDrop()).isNull();
    assertThat(host.getGroupAdd()).isNull();
    assertThat(host.getSecurityOpts()).containsExactly("seccomp=unconfined");
    // allowPrivilegeEscalation true (or unset) adds nothing.
    assertThat(
            applied(
                    settings(
                        pod(
                            null,
                            new SecurityContextBuilder()
                                .withAllowPrivilegeEscalation(true)
                                .build())))
                .getSecurityOpts())
        .containsExactly("seccomp=unconfined");
  }

  @Test
  void anUnknownCapabilityIsRefusedWithDockersMessage() {
    SecuritySettings s =
        settings(
            pod(
                null,
                new SecurityContextBuilder()
                    .withNewCapabilities()
                    .withAdd("FLY")
                    .endCapabilities()
                    .build()));

    assertThat(SecurityContexts.apply(s, HostConfig.newHostConfig(), seccompRoot))
        .isEqualTo("invalid CapAdd: unknown capability: \"CAP_FLY\"");
  }

  @Test
  void seccompRuntimeDefaultIsDockersProfileTheContainersWinsAndLocalhostIsReadFromTheAgent()
      throws Exception {
    PodSecurityContext runtimeDefault =
        new PodSecurityContextBuilder().withNewSeccompProfile("", "RuntimeDefault").build();
    assertThat(applied(settings(pod(runtimeDefault, null))).getSecurityOpts()).isNull();
    assertThat(
            applied(
                    settings(
                        pod(
                            runtimeDefault,
                            new SecurityContextBuilder()
                                .withNewSeccompProfile(null, "Unconfined")
                                .build())))
                .getSecurityOpts())
        .containsExactly("seccomp=unconfined");

    Files.createDirectories(seccompRoot.resolve("profiles"));
    Files.writeString(
        seccompRoot.resolve("profiles/audit.json"), "{\"defaultAction\":\"SCMP_ACT_LOG\"}");
    SecuritySettings localhost =
        settings(
            pod(
                null,
                new SecurityContextBuilder()
                    .withNewSeccompProfile("profiles/audit.json", "Localhost")
                    .build()));
    assertThat(applied(localhost).getSecurityOpts())
        .containsExactly("seccomp={\"defaultAction\":\"SCMP_ACT_LOG\"}");

    SecuritySettings missing =
        settings(
            pod(
                null,
                new SecurityContextBuilder()
                    .withNewSeccompProfile("profiles/none.json", "Localhost")
                    .build()));
    assertThat(SecurityContexts.apply(missing, HostConfig.newHostConfig(), seccompRoot))
        .startsWith("cannot load seccomp profile \"" + seccompRoot.resolve("profiles/none.json"));
    SecuritySettings outside =
        settings(
            pod(
                null,
                new SecurityContextBuilder()
                    .withNewSeccompProfile("../../etc/passwd", "Localhost")
                    .build()));
    assertThat(SecurityContexts.apply(outside, HostConfig.newHostConfig(), seccompRoot))
        .startsWith("localhostProfile must be a relative path under");
  }

  @Test
  void procMountUnmaskedSendsEmptyMaskedAndReadonlyPaths() throws Exception {
    ObjectMapper json = new ObjectMapper();
    SecuritySettings unmasked =
        settings(pod(null, new SecurityContextBuilder().withProcMount("Unmasked").build()));
    SecuritySettings masked =
        settings(pod(null, new SecurityContextBuilder().withProcMount("Default").build()));

    String sent = json.writeValueAsString(SecurityContexts.newHostConfig(unmasked));
    assertThat(sent).contains("\"MaskedPaths\":[]").contains("\"ReadonlyPaths\":[]");
    assertThat(json.writeValueAsString(SecurityContexts.newHostConfig(masked)))
        .doesNotContain("MaskedPaths")
        .doesNotContain("ReadonlyPaths");
  }

  @Test
  void theSandboxHoldsTheSharedIpcNamespaceAndThePodsSysctlsOrTheHostsNamespaces() {
    Pod pod =
        new PodBuilder(
                pod(
                    new PodSecurityContextBuilder()
                        .addNewSysctl("kernel.shm_rmid_forced", "1")
                        .build(),
                    null))
            .build();
    HostConfig sandbox = HostConfig.newHostConfig();
    SecurityContexts.sandbox(pod, sandbox);
    HostConfig container = HostConfig.newHostConfig();
    SecurityContexts.namespaces(pod, "sb", true, container);

    assertThat(sandbox.getIpcMode()).isEqualTo("shareable");
    assertThat(sandbox.getPidMode()).isNull();
    assertThat(sandbox.getSysctls())
        .containsExactlyEntriesOf(java.util.Map.of("kernel.shm_rmid_forced", "1"));
    assertThat(container.getIpcMode()).isEqualTo("container:sb");
    assertThat(container.getPidMode()).isNull();
    assertThat(container.getUtSMode()).isNull();
    // A sandbox made before it shared its IPC namespace: the container keeps its own.
    HostConfig older = HostConfig.newHostConfig();
    SecurityContexts.namespaces(pod, "sb", false, older);
    assertThat(older.getIpcMode()).isNull();

    Pod host =
        new PodBuilder(pod(null, null))
            .editSpec()
            .withHostNetwork(true)
            .withHostPID(true)
            .withHostIPC(true)
            .endSpec()
            .build();
    HostConfig hostSandbox = HostConfig.newHostConfig();
    SecurityContexts.sandbox(host, hostSandbox);
    HostConfig hostContainer = HostConfig.newHostConfig();
    SecurityContexts.namespaces(host, "sb", false, hostContainer);
    assertThat(hostSandbox.getPidMode()).isEqualTo("host");
    assertThat(hostSandbox.getIpcMode()).isEqualTo("host");
    assertThat(hostSandbox.getSysctls()).isNull();
    assertThat(hostContainer.getPidMode()).isEqualTo("host");
    assertThat(hostContainer.getIpcMode()).isEqualTo("host");
    assertThat(hostContainer.getUtSMode()).isEqualTo("host");
  }

  private HostConfig applied(SecuritySettings s) {
    HostConfig host = HostConfig.newHostConfig();
    assertThat(SecurityContexts.apply(s, host, seccompRoot)).isNull();
    return host;
  }

  private static SecuritySettings settings(Pod pod) {
    return SecuritySettings.of(pod, container(pod));
  }

  private static Container container(Pod pod) {
    return pod.getSpec().getContainers().get(0);
  }

  private static Pod pod(PodSecurityContext podContext, SecurityContext containerContext) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("shop")
        .withName("web")
        .withUid("uid-1")
        .endMetadata()
        .withNewSpec()
        .withSecurityContext(podContext)
        .withContainers(
            new ContainerBuilder()
                .withName("app")
                .withImage("nauta/busybox:local")
                .withSecurityContext(containerContext)
                .build())
        .endSpec()
        .build();
  }
}
