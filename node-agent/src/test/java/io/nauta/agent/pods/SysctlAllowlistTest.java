package io.nauta.agent.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SysctlAllowlistTest {

  private final SysctlAllowlist allowlist =
      new SysctlAllowlist(List.of("kernel.msg*", "net.core.somaxconn"));

  @ParameterizedTest(name = "{0} (hostNetwork {1}, hostIPC {2}): {3}")
  @CsvSource(
      value = {
        "net.ipv4.tcp_syncookies,false,false,",
        "net/ipv4/ip_local_port_range,false,false,",
        "kernel.shm_rmid_forced,false,false,",
        "net.ipv4.tcp_keepalive_time,false,false,",
        "kernel.msgmax,false,false,",
        "net.core.somaxconn,false,false,",
        "net.core.rmem_max,false,false,'\"net.core.rmem_max\" not allowlisted'",
        "vm.swappiness,false,false,'\"vm.swappiness\" not allowlisted'",
        "net.ipv4.tcp_syncookies,true,false,'\"net.ipv4.tcp_syncookies\" not allowed with host net"
            + " enabled'",
        "kernel.shm_rmid_forced,false,true,'\"kernel.shm_rmid_forced\" not allowed with host ipc"
            + " enabled'",
        "kernel.shm_rmid_forced,true,false,",
      },
      quoteCharacter = '\'')
  void safeAndAllowedSysctlsPassInTheirOwnNamespacesOnly(
      String sysctl, boolean hostNetwork, boolean hostIpc, String error) {
    Pod pod =
        new PodBuilder()
            .withNewSpec()
            .withHostNetwork(hostNetwork)
            .withHostIPC(hostIpc)
            .withNewSecurityContext()
            .addNewSysctl(sysctl, "1")
            .endSecurityContext()
            .endSpec()
            .build();

    PodAdmission.Rejection rejection = allowlist.admit(pod);

    if (error == null) {
      assertThat(rejection).isNull();
    } else {
      assertThat(rejection)
          .isEqualTo(new PodAdmission.Rejection("SysctlForbidden", "forbidden sysctl: " + error));
    }
  }

  @ParameterizedTest
  @CsvSource({
    "net/ipv4/tcp_syncookies,net.ipv4.tcp_syncookies",
    "net.ipv4/conf/eth0.1,net.ipv4/conf/eth0.1",
    "kernel/a.b,kernel.a/b"
  })
  void slashedNamesAreNormalizedAsTheKubeletDoes(String name, String normalized) {
    assertThat(SysctlAllowlist.normalize(name)).isEqualTo(normalized);
  }
}
