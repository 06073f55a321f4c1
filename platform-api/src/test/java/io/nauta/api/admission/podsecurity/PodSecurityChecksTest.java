package io.nauta.api.admission.podsecurity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each check against a table of pods, with the reasons and details upstream's own tests expect
 * (staging/src/k8s.io/pod-security-admission/policy/check_*_test.go, Kubernetes 1.33); a null
 * reason means the pod is allowed.
 */
class PodSecurityChecksTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // ---- baseline
        arguments(
            "host namespaces",
            BaselineChecks.hostNamespaces(),
            33,
            "spec: {hostNetwork: true, hostPID: true, hostIPC: true}",
            "host namespaces",
            "hostNetwork=true, hostPID=true, hostIPC=true"),
        arguments(
            "host namespaces false",
            BaselineChecks.hostNamespaces(),
            33,
            "spec: {hostNetwork: false}",
            null,
            null),
        arguments(
            "privileged",
            BaselineChecks.privileged(),
            33,
            """
            spec:
              containers:
              - {name: a}
              - {name: b, securityContext: {}}
              - {name: c, securityContext: {privileged: false}}
              - {name: d, securityContext: {privileged: true}}
              initContainers:
              - {name: e, securityContext: {privileged: true}}
            """,
            "privileged",
            "containers \"e\", \"d\" must not set securityContext.privileged=true"),
        arguments(
            "non-default capabilities",
            BaselineChecks.capabilitiesBaseline(),
            33,
            """
            spec:
              containers:
              - {name: a, securityContext: {capabilities: {add: [FOO, BAR]}}}
              - {name: b, securityContext: {capabilities: {add: [BAZ]}}}
              - {name: c, securityContext: {capabilities: {add: [CHOWN, NET_BIND_SERVICE]}}}
            """,
            "non-default capabilities",
            "containers \"a\", \"b\" must not include \"BAR\", \"BAZ\", \"FOO\" in"
                + " securityContext.capabilities.add"),
        arguments(
            "hostPath volumes",
            BaselineChecks.hostPathVolumes(),
            33,
            """
            spec:
              volumes:
              - {name: a, hostPath: {path: /a}}
              - {name: b, hostPath: {path: /b}}
              - {name: c, emptyDir: {}}
            """,
            "hostPath volumes",
            "volumes \"a\", \"b\""),
        arguments(
            "one host port",
            BaselineChecks.hostPorts(),
            33,
            """
            spec:
              containers:
              - {name: a, ports: [{containerPort: 1}]}
              - {name: b, ports: [{containerPort: 2, hostPort: 20}]}
            """,
            "hostPort",
            "container \"b\" uses hostPort 20"),
        arguments(
            "host ports",
            BaselineChecks.hostPorts(),
            33,
            """
            spec:
              containers:
              - {name: a, ports: [{containerPort: 1, hostPort: 0}]}
              - {name: b, ports: [{containerPort: 2, hostPort: 20}]}
              - {name: c, ports: [{containerPort: 3, hostPort: 10}, {containerPort: 4, hostPort: 30}]}
            """,
            "hostPort",
            "containers \"b\", \"c\" use hostPorts 10, 20, 30"),
        arguments(
            "unconfined AppArmor on the pod",
            BaselineChecks.appArmorProfile(),
            33,
            "spec: {securityContext: {appArmorProfile: {type: Unconfined}}}",
            "forbidden AppArmor profile",
            "pod must not set AppArmor profile type to \"Unconfined\""),
        arguments(
            "AppArmor annotations",
            BaselineChecks.appArmorProfile(),
            33,
            """
            metadata:
              annotations:
                container.apparmor.security.beta.kubernetes.io/a: unconfined
                container.apparmor.security.beta.kubernetes.io/b: runtime/default
                container.apparmor.security.beta.kubernetes.io/c: localhost/x
                container.apparmor.security.beta.kubernetes.io/d: other
            spec:
              containers:
              - {name: e, securityContext: {appArmorProfile: {type: Unconfined}}}
            """,
            "forbidden AppArmor profiles",
            "container \"e\" and annotations must not set AppArmor profile type to"
                + " \"Unconfined\","
                + " \"container.apparmor.security.beta.kubernetes.io/a=\"unconfined\"\","
                + " \"container.apparmor.security.beta.kubernetes.io/d=\"other\"\""),
        arguments(
            "SELinux on pod and containers",
            BaselineChecks.seLinuxOptions(),
            33,
            """
            spec:
              securityContext: {seLinuxOptions: {type: foo, user: u, role: r}}
              containers:
              - {name: e, securityContext: {seLinuxOptions: {type: bar}}}
              - {name: f, securityContext: {seLinuxOptions: {user: u}}}
              - {name: g, securityContext: {seLinuxOptions: {role: r}}}
              - {name: h, securityContext: {seLinuxOptions: {type: container_t}}}
            """,
            "seLinuxOptions",
            "pod and containers \"e\", \"f\", \"g\" set forbidden"
                + " securityContext.seLinuxOptions: types \"bar\", \"foo\"; user may not be set;"
                + " role may not be set"),
        arguments(
            "container_engine_t before 1.31",
            BaselineChecks.seLinuxOptions(),
            30,
            "spec: {securityContext: {seLinuxOptions: {type: container_engine_t}}}",
            "seLinuxOptions",
            "pod set forbidden securityContext.seLinuxOptions: type \"container_engine_t\""),
        arguments(
            "container_engine_t from 1.31",
            BaselineChecks.seLinuxOptions(),
            31,
            "spec: {securityContext: {seLinuxOptions: {type: container_engine_t}}}",
            null,
            null),
        arguments(
            "procMount",
            BaselineChecks.procMount(),
            33,
            """
            spec:
              containers:
              - {name: a}
              - {name: b, securityContext: {}}
              - {name: c, securityContext: {procMount: Default}}
              - {name: d, securityContext: {procMount: Unmasked}}
              - {name: e, securityContext: {procMount: other}}
            """,
            "procMount",
            "containers \"d\", \"e\" must not set securityContext.procMount to \"Unmasked\","
                + " \"other\""),
        arguments(
            "seccomp Unconfined",
            BaselineChecks.seccompProfileBaseline(),
            33,
            """
            spec:
              securityContext: {seccompProfile: {type: Unconfined}}
              containers:
              - {name: c, securityContext: {seccompProfile: {type: Unconfined}}}
              - {name: d, securityContext: {seccompProfile: {type: RuntimeDefault}}}
            """,
            "seccompProfile",
            "pod and container \"c\" must not set securityContext.seccompProfile.type to"
                + " \"Unconfined\""),
        arguments(
            "seccomp annotations before 1.19",
            BaselineChecks.seccompProfileBaseline(),
            18,
            """
            metadata:
              annotations:
                seccomp.security.alpha.kubernetes.io/pod: unconfined
                container.seccomp.security.alpha.kubernetes.io/a: docker/default
                container.seccomp.security.alpha.kubernetes.io/b: other
            spec:
              containers: [{name: a}, {name: b}]
            """,
            "seccompProfile",
            "forbidden annotations"
                + " container.seccomp.security.alpha.kubernetes.io/b=\"other\","
                + " seccomp.security.alpha.kubernetes.io/pod=\"unconfined\""),
        arguments(
            "unsafe sysctls",
            BaselineChecks.sysctls(),
            33,
            """
            spec:
              securityContext:
                sysctls: [{name: a, value: "1"}, {name: kernel.shm_rmid_forced, value: "0"}, {name: b, value: "1"}]
            """,
            "forbidden sysctls",
            "a, b"),
        arguments(
            "tcp_rmem before 1.32",
            BaselineChecks.sysctls(),
            31,
            "spec: {securityContext: {sysctls: [{name: net.ipv4.tcp_rmem, value: '4096'}]}}",
            "forbidden sysctls",
            "net.ipv4.tcp_rmem"),
        arguments(
            "tcp_rmem from 1.32",
            BaselineChecks.sysctls(),
            32,
            "spec: {securityContext: {sysctls: [{name: net.ipv4.tcp_rmem, value: '4096'}]}}",
            null,
            null),
        arguments(
            "Windows host process",
            BaselineChecks.windowsHostProcess(),
            33,
            """
            spec:
              securityContext: {windowsOptions: {hostProcess: true}}
              containers:
              - {name: a, securityContext: {windowsOptions: {hostProcess: true}}}
              - {name: b, securityContext: {windowsOptions: {hostProcess: false}}}
            """,
            "hostProcess",
            "pod and container \"a\" must not set securityContext.windowsOptions.hostProcess=true"),
        // ---- restricted
        arguments(
            "allowPrivilegeEscalation",
            RestrictedChecks.allowPrivilegeEscalation(),
            33,
            """
            spec:
              containers:
              - {name: a}
              - {name: b, securityContext: {}}
              - {name: c, securityContext: {allowPrivilegeEscalation: true}}
              - {name: d, securityContext: {allowPrivilegeEscalation: false}}
            """,
            "allowPrivilegeEscalation != false",
            "containers \"a\", \"b\", \"c\" must set securityContext.allowPrivilegeEscalation=false"),
        arguments(
            "a Windows pod is not asked for allowPrivilegeEscalation from 1.25",
            RestrictedChecks.allowPrivilegeEscalation(),
            25,
            "spec: {os: {name: windows}, containers: [{name: a}]}",
            null,
            null),
        arguments(
            "a Windows pod is asked for allowPrivilegeEscalation before 1.25",
            RestrictedChecks.allowPrivilegeEscalation(),
            24,
            "spec: {os: {name: windows}, containers: [{name: a}]}",
            "allowPrivilegeEscalation != false",
            "container \"a\" must set securityContext.allowPrivilegeEscalation=false"),
        arguments(
            "unrestricted capabilities",
            RestrictedChecks.capabilitiesRestricted(),
            33,
            """
            spec:
              containers:
              - {name: a, securityContext: {capabilities: {add: [FOO, BAR]}}}
              - {name: b, securityContext: {capabilities: {add: [BAZ], drop: [NET_RAW]}}}
              - {name: c, securityContext: {capabilities: {add: [FOO, CHOWN], drop: [ALL]}}}
              - {name: d, securityContext: {capabilities: {add: [NET_BIND_SERVICE], drop: [ALL]}}}
            """,
            "unrestricted capabilities",
            "containers \"a\", \"b\" must set securityContext.capabilities.drop=[\"ALL\"];"
                + " containers \"a\", \"b\", \"c\" must not include \"BAR\", \"BAZ\", \"CHOWN\","
                + " \"FOO\" in securityContext.capabilities.add"),
        arguments(
            "restricted volume types",
            RestrictedChecks.restrictedVolumes(),
            33,
            """
            spec:
              volumes:
              - {name: a1, emptyDir: {}}
              - {name: a2, secret: {secretName: s}}
              - {name: a3, persistentVolumeClaim: {claimName: c}}
              - {name: a4, downwardAPI: {}}
              - {name: a5, configMap: {name: m}}
              - {name: a6, projected: {}}
              - {name: a7, csi: {driver: d}}
              - {name: a8, ephemeral: {}}
              - {name: a9, image: {reference: r}}
              - {name: b1, hostPath: {path: /}}
              - {name: b2, gcePersistentDisk: {pdName: p}}
              - {name: b3, awsElasticBlockStore: {volumeID: v}}
              - {name: b4, gitRepo: {repository: r}}
              - {name: b5, nfs: {server: s, path: /}}
              - {name: b6, iscsi: {targetPortal: t, iqn: i, lun: 0}}
              - {name: b7, glusterfs: {endpoints: e, path: p}}
              - {name: b8, rbd: {monitors: [m], image: i}}
              - {name: b9, flexVolume: {driver: d}}
              - {name: b10, cinder: {volumeID: v}}
              - {name: b11, cephfs: {monitors: [m]}}
              - {name: b12, flocker: {}}
              - {name: b13, fc: {}}
              - {name: b14, azureFile: {secretName: s, shareName: s}}
              - {name: b15, vsphereVolume: {volumePath: p}}
              - {name: b16, quobyte: {registry: r, volume: v}}
              - {name: b17, azureDisk: {diskName: d, diskURI: u}}
              - {name: b18, photonPersistentDisk: {pdID: p}}
              - {name: b19, portworxVolume: {volumeID: v}}
              - {name: b20, scaleIO: {gateway: g, system: s}}
              - {name: b21, storageos: {}}
              - {name: c1}
            """,
            "restricted volume types",
            "volumes \"b1\", \"b2\", \"b3\", \"b4\", \"b5\", \"b6\", \"b7\", \"b8\", \"b9\","
                + " \"b10\", \"b11\", \"b12\", \"b13\", \"b14\", \"b15\", \"b16\", \"b17\","
                + " \"b18\", \"b19\", \"b20\", \"b21\", \"c1\" use restricted volume types"
                + " \"awsElasticBlockStore\", \"azureDisk\", \"azureFile\", \"cephfs\","
                + " \"cinder\", \"fc\", \"flexVolume\", \"flocker\", \"gcePersistentDisk\","
                + " \"gitRepo\", \"glusterfs\", \"hostPath\", \"iscsi\", \"nfs\","
                + " \"photonPersistentDisk\", \"portworxVolume\", \"quobyte\", \"rbd\","
                + " \"scaleIO\", \"storageos\", \"unknown\", \"vsphereVolume\""),
        arguments(
            "no explicit runAsNonRoot",
            RestrictedChecks.runAsNonRoot(),
            33,
            "spec: {containers: [{name: a}]}",
            "runAsNonRoot != true",
            "pod or container \"a\" must set securityContext.runAsNonRoot=true"),
        arguments(
            "pod runAsNonRoot=false",
            RestrictedChecks.runAsNonRoot(),
            33,
            "spec: {securityContext: {runAsNonRoot: false}, containers: [{name: a}]}",
            "runAsNonRoot != true",
            "pod must not set securityContext.runAsNonRoot=false"),
        arguments(
            "containers runAsNonRoot=false",
            RestrictedChecks.runAsNonRoot(),
            33,
            """
            spec:
              securityContext: {runAsNonRoot: true}
              containers:
              - {name: a}
              - {name: b, securityContext: {runAsNonRoot: true}}
              - {name: c, securityContext: {runAsNonRoot: false}}
              - {name: d, securityContext: {runAsNonRoot: false}}
            """,
            "runAsNonRoot != true",
            "containers \"c\", \"d\" must not set securityContext.runAsNonRoot=false"),
        arguments(
            "runAsNonRoot set on the pod",
            RestrictedChecks.runAsNonRoot(),
            33,
            "spec: {securityContext: {runAsNonRoot: true}, containers: [{name: a}]}",
            null,
            null),
        arguments(
            "pod and containers runAsUser=0",
            RestrictedChecks.runAsUser(),
            33,
            """
            spec:
              securityContext: {runAsUser: 0}
              containers:
              - {name: a, securityContext: {runAsUser: 1000}}
              - {name: c, securityContext: {runAsUser: 0}}
              - {name: d, securityContext: {runAsUser: 0}}
            """,
            "runAsUser=0",
            "pod and containers \"c\", \"d\" must not set runAsUser=0"),
        arguments(
            "no explicit seccomp",
            RestrictedChecks.seccompProfileRestricted(),
            33,
            "spec: {containers: [{name: a}]}",
            "seccompProfile",
            "pod or container \"a\" must set securityContext.seccompProfile.type to"
                + " \"RuntimeDefault\" or \"Localhost\""),
        arguments(
            "containers seccomp invalid",
            RestrictedChecks.seccompProfileRestricted(),
            33,
            """
            spec:
              securityContext: {seccompProfile: {type: Localhost}}
              containers:
              - {name: a}
              - {name: c, securityContext: {seccompProfile: {type: Unconfined}}}
              - {name: d, securityContext: {seccompProfile: {type: Unconfined}}}
            """,
            "seccompProfile",
            "containers \"c\", \"d\" must not set securityContext.seccompProfile.type to"
                + " \"Unconfined\""),
        arguments(
            "pod nil, container fallthrough",
            RestrictedChecks.seccompProfileRestricted(),
            33,
            """
            spec:
              containers:
              - {name: a}
              - {name: b}
              - {name: c, securityContext: {seccompProfile: {type: RuntimeDefault}}}
            """,
            "seccompProfile",
            "pod or containers \"a\", \"b\" must set securityContext.seccompProfile.type to"
                + " \"RuntimeDefault\" or \"Localhost\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void checkSaysWhatUpstreamSays(
      String name, Check check, int minor, String pod, String reason, String detail) {
    CheckResult r = Pods.check(check, minor, pod);
    if (reason == null) {
      assertThat(r.allowed()).as(r.toString()).isTrue();
      return;
    }
    assertThat(r.allowed()).isFalse();
    assertThat(r.reason()).isEqualTo(reason);
    assertThat(r.detail()).isEqualTo(detail);
  }
}
