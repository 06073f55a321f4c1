package io.nauta.core.validation;

import static io.nauta.core.validation.Fixtures.DNS_LABEL_MSG;
import static io.nauta.core.validation.Fixtures.messages;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodSpecValidationTest {

  private final PodValidation validation = new PodValidation();

  private static Arguments rejects(
      String description, UnaryOperator<PodBuilder> change, String... expected) {
    return Arguments.of(description, change, List.of(expected));
  }

  private static Arguments accepts(String description, UnaryOperator<PodBuilder> change) {
    return Arguments.of(description, change, List.of());
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        accepts("the fixture as it is", b -> b),
        rejects(
            "no containers",
            b -> b.editSpec().withContainers().endSpec(),
            "spec.containers: Required value"),
        rejects(
            "a container without a name",
            b -> b.editSpec().editFirstContainer().withName(null).endContainer().endSpec(),
            "spec.containers[0].name: Required value"),
        rejects(
            "a container name with capitals",
            b -> b.editSpec().editFirstContainer().withName("App").endContainer().endSpec(),
            "spec.containers[0].name: Invalid value: \"App\": " + DNS_LABEL_MSG),
        rejects(
            "two containers with one name",
            b ->
                b.editSpec()
                    .addNewContainer()
                    .withName("app")
                    .withImage("busybox")
                    .endContainer()
                    .endSpec(),
            "spec.containers[1].name: Duplicate value: \"app\""),
        rejects(
            "an init container named like a container",
            b ->
                b.editSpec()
                    .addNewInitContainer()
                    .withName("app")
                    .withImage("busybox")
                    .endInitContainer()
                    .endSpec(),
            "spec.initContainers[0].name: Duplicate value: \"app\""),
        rejects(
            "an empty image",
            b -> b.editSpec().editFirstContainer().withImage("").endContainer().endSpec(),
            "spec.containers[0].image: Required value"),
        rejects(
            "a blank image",
            b -> b.editSpec().editFirstContainer().withImage("  ").endContainer().endSpec(),
            "spec.containers[0].image: Required value"),
        rejects(
            "an image with trailing whitespace",
            b -> b.editSpec().editFirstContainer().withImage("nginx ").endContainer().endSpec(),
            "spec.containers[0].image: Invalid value: \"nginx \": must not have leading or"
                + " trailing whitespace"),
        rejects(
            "a container port of 0",
            b ->
                b.editSpec()
                    .editFirstContainer()
                    .editFirstPort()
                    .withContainerPort(0)
                    .endPort()
                    .endContainer()
                    .endSpec(),
            "spec.containers[0].ports[0].containerPort: Required value"),
        rejects(
            "a container port above 65535",
            b ->
                b.editSpec()
                    .editFirstContainer()
                    .editFirstPort()
                    .withContainerPort(70000)
                    .endPort()
                    .endContainer()
                    .endSpec(),
            "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1"
                + " and 65535, inclusive"),
        rejects(
            "a negative host port",
            b ->
                b.editSpec()
                    .editFirstContainer()
                    .editFirstPort()
                    .withHostPort(-1)
                    .endPort()
                    .endContainer()
                    .endSpec(),
            "spec.containers[0].ports[0].hostPort: Invalid value: -1: must be between 1 and"
                + " 65535, inclusive"),
        rejects(
            "an unknown protocol",
            b ->
                b.editSpec()
                    .editFirstContainer()
                    .editFirstPort()
                    .withProtocol("HTTP")
                    .endPort()
                    .endContainer()
                    .endSpec(),
            "spec.containers[0].ports[0].protocol: Unsupported value: \"HTTP\": supported values:"
                + " \"SCTP\", \"TCP\", \"UDP\""),
        rejects(
            "a port name of 16 characters",
            b ->
                b.editSpec()
                    .editFirstContainer()
                    .editFirstPort()
                    .withName("a-very-long-name")
                    .endPort()
                    .endContainer()
                    .endSpec(),
            "spec.containers[0].ports[0].name: Invalid value: \"a-very-long-name\": must be no"
                + " more than 15 characters"),
        rejects(
            "two ports with one name",
            b ->
                b.editSpec()
                    .editFirstContainer()
                    .addNewPort()
                    .withName("http")
                    .withContainerPort(8080)
                    .endPort()
                    .endContainer()
                    .endSpec(),
            "spec.containers[0].ports[1].name: Duplicate value: \"http\""),
        rejects(
            "an env var starting with a digit",
            b ->
                b.editSpec()
                    .editFirstContainer()
                    .addNewEnv()
                    .withName("1X")
                    .withValue("v")
                    .endEnv()
                    .endContainer()
                    .endSpec(),
            "spec.containers[0].env[0].name: Invalid value: \"1X\": a valid environment variable"
                + " name must consist of alphabetic characters, digits, '_', '-', or '.', and"
                + " must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or"
                + " 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"),
        accepts(
            "an env var with dots and dashes",
            b ->
                b.editSpec()
                    .editFirstContainer()
                    .addNewEnv()
                    .withName("my.env-name")
                    .withValue("v")
                    .endEnv()
                    .endContainer()
                    .endSpec()),
        rejects(
            "an env var with a value and a source",
            b ->
                b.editSpec()
                    .editFirstContainer()
                    .addNewEnv()
                    .withName("X")
                    .withValue("v")
                    .withNewValueFrom()
                    .withNewConfigMapKeyRef("k", "cm", false)
                    .endValueFrom()
                    .endEnv()
                    .endContainer()
                    .endSpec(),
            "spec.containers[0].env[0].valueFrom: Invalid value: \"\": may not be specified when"
                + " `value` is not empty"),
        rejects(
            "a request above its limit",
            b ->
                b.editSpec()
                    .editFirstContainer()
                    .withNewResources()
                    .addToRequests("cpu", new Quantity("2"))
                    .addToLimits("cpu", new Quantity("500m"))
                    .endResources()
                    .endContainer()
                    .endSpec(),
            "spec.containers[0].resources.requests[cpu]: Invalid value: \"2\": must be less than"
                + " or equal to cpu limit of 500m"),
        accepts(
            "a request equal to its limit in other units",
            b ->
                b.editSpec()
                    .editFirstContainer()
                    .withNewResources()
                    .addToRequests("memory", new Quantity("1Gi"))
                    .addToLimits("memory", new Quantity("1024Mi"))
                    .endResources()
                    .endContainer()
                    .endSpec()),
        rejects(
            "a quantity that does not parse",
            b ->
                b.editSpec()
                    .editFirstContainer()
                    .withNewResources()
                    .addToLimits("memory", new Quantity("lots"))
                    .endResources()
                    .endContainer()
                    .endSpec(),
            "spec.containers[0].resources.limits[memory]: Invalid value: \"lots\": quantities"
                + " must match the regular expression"
                + " '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
        rejects(
            "an unknown resource name",
            b ->
                b.editSpec()
                    .editFirstContainer()
                    .withNewResources()
                    .addToLimits("gpu", new Quantity("1"))
                    .endResources()
                    .endContainer()
                    .endSpec(),
            "spec.containers[0].resources.limits[gpu]: Invalid value: \"gpu\": must be a standard"
                + " resource for containers"),
        rejects(
            "an unknown restart policy",
            b -> b.editSpec().withRestartPolicy("Sometimes").endSpec(),
            "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\","
                + " \"OnFailure\", \"Never\""),
        rejects(
            "an unknown dns policy",
            b -> b.editSpec().withDnsPolicy("Google").endSpec(),
            "spec.dnsPolicy: Unsupported value: \"Google\": supported values:"
                + " \"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\""),
        rejects(
            "a negative grace period",
            b -> b.editSpec().withTerminationGracePeriodSeconds(-5L).endSpec(),
            "spec.terminationGracePeriodSeconds: Invalid value: -5: must be greater than or equal"
                + " to 0"),
        rejects(
            "a zero active deadline",
            b -> b.editSpec().withActiveDeadlineSeconds(0L).endSpec(),
            "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647,"
                + " inclusive"),
        rejects(
            "two volumes with one name",
            b ->
                b.editSpec()
                    .addNewVolume()
                    .withName("data")
                    .withNewEmptyDir()
                    .endEmptyDir()
                    .endVolume()
                    .addNewVolume()
                    .withName("data")
                    .withNewEmptyDir()
                    .endEmptyDir()
                    .endVolume()
                    .endSpec(),
            "spec.volumes[1].name: Duplicate value: \"data\""),
        rejects(
            "a volume without a source",
            b -> b.editSpec().addNewVolume().withName("data").endVolume().endSpec(),
            "spec.volumes[0]: Required value: must specify a volume type"),
        rejects(
            "a volume with two sources",
            b ->
                b.editSpec()
                    .addNewVolume()
                    .withName("data")
                    .withNewEmptyDir()
                    .endEmptyDir()
                    .withNewConfigMap()
                    .withName("cm")
                    .endConfigMap()
                    .endVolume()
                    .endSpec(),
            "spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type"),
        rejects(
            "a volume name with an underscore",
            b ->
                b.editSpec()
                    .addNewVolume()
                    .withName("my_data")
                    .withNewEmptyDir()
                    .endEmptyDir()
                    .endVolume()
                    .endSpec(),
            "spec.volumes[0].name: Invalid value: \"my_data\": " + DNS_LABEL_MSG),
        rejects(
            "a mount of a volume that does not exist",
            b ->
                b.editSpec()
                    .editFirstContainer()
                    .addNewVolumeMount()
                    .withName("data")
                    .withMountPath("/data")
                    .endVolumeMount()
                    .endContainer()
                    .endSpec(),
            "spec.containers[0].volumeMounts[0].name: Invalid value: \"data\": must match the name"
                + " of a volume"),
        accepts(
            "a mount of an existing volume",
            b ->
                b.editSpec()
                    .addNewVolume()
                    .withName("data")
                    .withNewEmptyDir()
                    .endEmptyDir()
                    .endVolume()
                    .editFirstContainer()
                    .addNewVolumeMount()
                    .withName("data")
                    .withMountPath("/data")
                    .endVolumeMount()
                    .endContainer()
                    .endSpec()),
        rejects(
            "a probe without a handler",
            b ->
                b.editSpec()
                    .editFirstContainer()
                    .withNewLivenessProbe()
                    .endLivenessProbe()
                    .endContainer()
                    .endSpec(),
            "spec.containers[0].livenessProbe: Required value: must specify a handler type"),
        rejects(
            "a probe with two handlers",
            b ->
                b.editSpec()
                    .editFirstContainer()
                    .withNewReadinessProbe()
                    .withNewExec()
                    .withCommand("true")
                    .endExec()
                    .withNewTcpSocket()
                    .withPort(new IntOrString(80))
                    .endTcpSocket()
                    .endReadinessProbe()
                    .endContainer()
                    .endSpec(),
            "spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1"
                + " handler type"),
        rejects(
            "an http probe on a named port that is not a name",
            b ->
                b.editSpec()
                    .editFirstContainer()
                    .withNewLivenessProbe()
                    .withNewHttpGet()
                    .withPath("/healthz")
                    .withPort(new IntOrString("HTTP"))
                    .endHttpGet()
                    .endLivenessProbe()
                    .endContainer()
                    .endSpec(),
            "spec.containers[0].livenessProbe.httpGet.port: Invalid value: \"HTTP\": must contain"
                + " only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
            "spec.containers[0].livenessProbe.httpGet.port: Invalid value: \"HTTP\": must contain"
                + " at least one letter (a-z)"),
        rejects(
            "a liveness probe that must succeed twice",
            b ->
                b.editSpec()
                    .editFirstContainer()
                    .withNewLivenessProbe()
                    .withNewHttpGet()
                    .withPort(new IntOrString("http"))
                    .endHttpGet()
                    .withSuccessThreshold(2)
                    .endLivenessProbe()
                    .endContainer()
                    .endSpec(),
            "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"),
        rejects(
            "a probe on a plain init container",
            b ->
                b.editSpec()
                    .addNewInitContainer()
                    .withName("init")
                    .withImage("busybox")
                    .withNewReadinessProbe()
                    .withNewExec()
                    .withCommand("true")
                    .endExec()
                    .endReadinessProbe()
                    .endInitContainer()
                    .endSpec(),
            "spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers"
                + " without restartPolicy=Always"),
        rejects(
            "a toleration with seconds but not NoExecute",
            b ->
                b.editSpec()
                    .addNewToleration()
                    .withKey("node.kubernetes.io/not-ready")
                    .withOperator("Exists")
                    .withEffect("NoSchedule")
                    .withTolerationSeconds(30L)
                    .endToleration()
                    .endSpec(),
            "spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute'"
                + " when `tolerationSeconds` is set"),
        rejects(
            "the same host port twice",
            b ->
                b.editSpec()
                    .editFirstContainer()
                    .editFirstPort()
                    .withHostPort(8080)
                    .endPort()
                    .endContainer()
                    .addNewContainer()
                    .withName("sidecar")
                    .withImage("envoy")
                    .addNewPort()
                    .withContainerPort(8080)
                    .withHostPort(8080)
                    .endPort()
                    .endContainer()
                    .endSpec(),
            "spec.containers[1].ports[0].hostPort: Duplicate value: \"8080/TCP\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void validatesPodSpecsLikeKubernetes(
      String description, UnaryOperator<PodBuilder> change, List<String> expected) {
    Pod pod = change.apply(new PodBuilder(Fixtures.pod())).build();
    assertThat(messages(validation.validate(pod))).containsExactlyElementsOf(expected);
  }

  @Test
  void reportsEveryProblemAtOnce() {
    Pod pod =
        new PodBuilder(Fixtures.pod())
            .editMetadata()
            .withNamespace(null)
            .endMetadata()
            .editSpec()
            .editFirstContainer()
            .withImage(null)
            .endContainer()
            .withRestartPolicy("Sometimes")
            .endSpec()
            .build();

    assertThat(validation.validate(pod))
        .extracting(e -> e.field())
        .containsExactly("metadata.namespace", "spec.containers[0].image", "spec.restartPolicy");
  }
}
