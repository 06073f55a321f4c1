package io.nauta.core.validation;

import static io.nauta.core.validation.Fixtures.messages;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OtherKindsValidationTest {

  private static ObjectMeta namespaced(String name) {
    return new ObjectMetaBuilder().withName(name).withNamespace("default").withUid("u1").build();
  }

  private static ObjectMeta clusterScoped(String name) {
    return new ObjectMetaBuilder().withName(name).withUid("u1").build();
  }

  private static Arguments check(String description, HasMetadata obj, String... expected) {
    return Arguments.of(description, obj, List.of(expected));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        check(
            "a config map with dotted keys",
            new ConfigMapBuilder()
                .withMetadata(namespaced("kube-root-ca.crt"))
                .addToData("ca.crt", "x")
                .build()),
        check(
            "a config map key with a slash",
            new ConfigMapBuilder().withMetadata(namespaced("cfg")).addToData("a/b", "x").build(),
            "data[a/b]: Invalid value: \"a/b\": a valid config key must consist of alphanumeric"
                + " characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or"
                + " 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"),
        check(
            "a config map key in both data and binaryData",
            new ConfigMapBuilder()
                .withMetadata(namespaced("cfg"))
                .addToData("logo", "x")
                .addToBinaryData("logo", "eA==")
                .build(),
            "data[logo]: Invalid value: \"logo\": duplicate of key present in binaryData"),
        check(
            "a config map over 1 MiB",
            new ConfigMapBuilder()
                .withMetadata(namespaced("cfg"))
                .addToData("big", "x".repeat(1024 * 1024 + 1))
                .build(),
            "data: Too long: may not be more than 1048576 bytes"),
        check(
            "a TLS secret without its key",
            new SecretBuilder()
                .withMetadata(namespaced("cert"))
                .withType("kubernetes.io/tls")
                .addToData("tls.crt", "Y2VydA==")
                .build(),
            "data[tls.key]: Required value"),
        check(
            "a secret key of '.'",
            new SecretBuilder().withMetadata(namespaced("s")).addToData(".", "eA==").build(),
            "data[.]: Invalid value: \".\": must not be '.'"),
        check(
            "a lease with a zero duration",
            new LeaseBuilder()
                .withMetadata(namespaced("node-1"))
                .withNewSpec()
                .withHolderIdentity("node-1")
                .withLeaseDurationSeconds(0)
                .withLeaseTransitions(-1)
                .endSpec()
                .build(),
            "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0",
            "spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0"),
        check(
            "a node with a bad pod CIDR",
            new NodeBuilder()
                .withMetadata(clusterScoped("node-1"))
                .withNewSpec()
                .withPodCIDR("10.244.1.0/33")
                .endSpec()
                .build(),
            "spec.podCIDR: Invalid value: \"10.244.1.0/33\": must be a valid CIDR value, (e.g."
                + " 10.9.8.0/24 or 2001:db8::/64)"),
        check(
            "a node with a valid dual-stack CIDR pair",
            new NodeBuilder()
                .withMetadata(clusterScoped("node-1"))
                .withNewSpec()
                .withPodCIDR("10.244.1.0/24")
                .withPodCIDRs("10.244.1.0/24", "fd00:10:244:1::/64")
                .endSpec()
                .build()),
        check(
            "a node taint with an unknown effect",
            new NodeBuilder()
                .withMetadata(clusterScoped("node-1"))
                .withNewSpec()
                .addNewTaint()
                .withKey("dedicated")
                .withValue("gpu")
                .withEffect("NoRun")
                .endTaint()
                .endSpec()
                .build(),
            "spec.taints[0].effect: Unsupported value: \"NoRun\": supported values:"
                + " \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\""),
        check(
            "a namespace with a dotted name",
            new NamespaceBuilder().withMetadata(clusterScoped("team.a")).build(),
            "metadata.name: Invalid value: \"team.a\": " + Fixtures.DNS_LABEL_MSG),
        check(
            "a namespace with a bare custom finalizer",
            new NamespaceBuilder()
                .withMetadata(clusterScoped("team-a"))
                .withNewSpec()
                .withFinalizers("kubernetes", "cleanup")
                .endSpec()
                .build(),
            "spec.finalizers: Invalid value: \"cleanup\": name is neither a standard finalizer"
                + " name nor is it fully qualified"),
        check(
            "an event about an object in another namespace",
            new EventBuilder()
                .withMetadata(namespaced("web.17f"))
                .withNewInvolvedObject()
                .withKind("Pod")
                .withName("web")
                .withNamespace("other")
                .endInvolvedObject()
                .withReason("Started")
                .build(),
            "involvedObject.namespace: Invalid value: \"other\": does not match event.namespace"),
        check(
            "a new-style event without a reporter",
            new EventBuilder()
                .withMetadata(namespaced("web.17f"))
                .withNewInvolvedObject()
                .withKind("Pod")
                .withName("web")
                .withNamespace("default")
                .endInvolvedObject()
                .withEventTime(new MicroTime("2025-01-01T00:00:00.000000Z"))
                .withReportingInstance("node-1")
                .withAction("Pulling")
                .withReason("Pulling")
                .build(),
            "reportingController: Required value",
            "reportingController: Invalid value: \"\": name part must be non-empty",
            "reportingController: Invalid value: \"\": name part must consist of alphanumeric"
                + " characters, '-', '_' or '.', and must start and end with an alphanumeric"
                + " character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for"
                + " validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"),
        check(
            "endpoints with a host name as address",
            new EndpointsBuilder()
                .withMetadata(namespaced("web"))
                .addNewSubset()
                .addNewAddress()
                .withIp("web.local")
                .endAddress()
                .addNewPort()
                .withPort(80)
                .withProtocol("TCP")
                .endPort()
                .endSubset()
                .build(),
            "subsets[0].addresses[0].ip: Invalid value: \"web.local\": must be a valid IP address,"
                + " (e.g. 10.9.8.7 or 2001:db8::ffff)"),
        check(
            "valid endpoints",
            new EndpointsBuilder()
                .withMetadata(namespaced("web"))
                .addNewSubset()
                .addNewAddress()
                .withIp("10.244.1.7")
                .endAddress()
                .addNewPort()
                .withPort(80)
                .withProtocol("TCP")
                .endPort()
                .endSubset()
                .build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void validatesEachServedKind(String description, HasMetadata obj, List<String> expected) {
    assertThat(messages(Validators.forKind(obj.getKind()).validate(obj)))
        .containsExactlyElementsOf(expected);
  }
}
