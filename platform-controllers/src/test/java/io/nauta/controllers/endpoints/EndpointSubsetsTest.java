package io.nauta.controllers.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EndpointSubsetsTest {

  /** A subset rendered as "ready=[ips] notReady=[ips] ports=[name:port/proto]". */
  static String render(List<EndpointSubset> subsets) {
    return String.join(
        " | ",
        subsets.stream()
            .map(
                s ->
                    "ready="
                        + ips(s.getAddresses())
                        + " notReady="
                        + ips(s.getNotReadyAddresses())
                        + " ports="
                        + ports(s.getPorts()))
            .toList());
  }

  static List<String> ips(List<EndpointAddress> a) {
    return a == null ? List.of() : a.stream().map(EndpointAddress::getIp).toList();
  }

  static List<String> ports(List<EndpointPort> p) {
    return p == null
        ? List.of()
        : p.stream().map(x -> x.getName() + ":" + x.getPort() + "/" + x.getProtocol()).toList();
  }

  static Pod pod(String name, String ip, boolean ready, String... namedPorts) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace("ns")
            .withName(name)
            .withUid("uid-" + name)
            .withResourceVersion("7")
            .addToLabels("app", "web")
            .endMetadata()
            .withNewSpec()
            .withNodeName("node-0")
            .addNewContainer()
            .withName("c")
            .withImage("busybox")
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase("Running")
            .withPodIP(ip)
            .addNewCondition()
            .withType("Ready")
            .withStatus(ready ? "True" : "False")
            .endCondition()
            .endStatus();
    Pod p = b.build();
    for (String np : namedPorts) {
      String[] parts = np.split("=");
      p.getSpec()
          .getContainers()
          .get(0)
          .getPorts()
          .add(
              new io.fabric8.kubernetes.api.model.ContainerPortBuilder()
                  .withName(parts[0])
                  .withContainerPort(Integer.parseInt(parts[1]))
                  .withProtocol("TCP")
                  .build());
    }
    return p;
  }

  static ServicePort port(String name, int port, Object target) {
    ServicePortBuilder b =
        new ServicePortBuilder().withName(name).withPort(port).withProtocol("TCP");
    if (target instanceof Integer i) {
      b.withTargetPort(new IntOrString(i));
    } else if (target instanceof String s) {
      b.withTargetPort(new IntOrString(s));
    }
    return b.build();
  }

  static Service service(boolean publishNotReady, ServicePort... ports) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace("ns")
        .withName("web")
        .endMetadata()
        .withNewSpec()
        .addToSelector("app", "web")
        .withPorts(ports)
        .withPublishNotReadyAddresses(publishNotReady)
        .endSpec()
        .build();
  }

  static Stream<Arguments> cases() {
    Pod a = pod("a", "10.0.0.1", true, "http=8080");
    Pod b = pod("b", "10.0.0.2", false, "http=8080");
    Pod c = pod("c", "10.0.0.3", true, "http=9090");
    Pod noPorts = pod("d", "10.0.0.4", true);
    Pod noIp = pod("e", null, true, "http=8080");
    Pod terminating =
        new PodBuilder(pod("f", "10.0.0.6", true, "http=8080"))
            .editMetadata()
            .withDeletionTimestamp("2026-01-01T00:00:00Z")
            .endMetadata()
            .build();
    Pod failed =
        new PodBuilder(pod("g", "10.0.0.7", false, "http=8080"))
            .editStatus()
            .withPhase("Failed")
            .endStatus()
            .build();
    return Stream.of(
        Arguments.of(
            "numeric targetPort: ready and not-ready pods",
            service(false, port("web", 80, 8080)),
            List.of(a, b),
            "ready=[10.0.0.1] notReady=[10.0.0.2] ports=[web:8080/TCP]"),
        Arguments.of(
            "named targetPort resolves per pod",
            service(false, port("web", 80, "http")),
            List.of(a, c),
            "ready=[10.0.0.1] notReady=[] ports=[web:8080/TCP]"
                + " | ready=[10.0.0.3] notReady=[] ports=[web:9090/TCP]"),
        Arguments.of(
            "a pod without the named port is left out",
            service(false, port("web", 80, "http")),
            List.of(a, noPorts),
            "ready=[10.0.0.1] notReady=[] ports=[web:8080/TCP]"),
        Arguments.of(
            "missing targetPort means the service port",
            service(false, port("web", 80, null)),
            List.of(a),
            "ready=[10.0.0.1] notReady=[] ports=[web:80/TCP]"),
        Arguments.of(
            "publishNotReadyAddresses lists every pod as ready, terminating too",
            service(true, port("web", 80, 8080)),
            List.of(a, b, terminating),
            "ready=[10.0.0.1, 10.0.0.2, 10.0.0.6] notReady=[] ports=[web:8080/TCP]"),
        Arguments.of(
            "pods without IP, terminating or finished are skipped",
            service(false, port("web", 80, 8080)),
            List.of(noIp, terminating, failed, a),
            "ready=[10.0.0.1] notReady=[] ports=[web:8080/TCP]"),
        Arguments.of(
            "multiple ports: a pod with only some of them gets its own subset",
            service(false, port("metrics", 9100, 9100), port("web", 80, "http")),
            List.of(a, noPorts),
            "ready=[10.0.0.4] notReady=[] ports=[metrics:9100/TCP]"
                + " | ready=[10.0.0.1] notReady=[] ports=[metrics:9100/TCP, web:8080/TCP]"),
        Arguments.of("no pods, no subsets", service(false, port("web", 80, 8080)), List.of(), ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void computesSubsets(String name, Service service, List<Pod> pods, String expected) {
    assertThat(render(EndpointSubsets.compute(service, pods))).isEqualTo(expected);
  }

  @Test
  void addressesCarryNodeNameAndPodReference() {
    EndpointSubset s =
        EndpointSubsets.compute(
                service(false, port("web", 80, 8080)), List.of(pod("a", "10.0.0.1", true)))
            .get(0);
    EndpointAddress addr = s.getAddresses().get(0);
    assertThat(addr.getNodeName()).isEqualTo("node-0");
    assertThat(addr.getTargetRef().getKind()).isEqualTo("Pod");
    assertThat(addr.getTargetRef().getNamespace()).isEqualTo("ns");
    assertThat(addr.getTargetRef().getName()).isEqualTo("a");
    assertThat(addr.getTargetRef().getUid()).isEqualTo("uid-a");
    assertThat(addr.getTargetRef().getResourceVersion()).isEqualTo("7");
  }
}
