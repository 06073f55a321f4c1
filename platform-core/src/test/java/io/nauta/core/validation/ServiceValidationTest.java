package io.nauta.core.validation;

import static io.nauta.core.validation.Fixtures.DNS_1035_MSG;
import static io.nauta.core.validation.Fixtures.messages;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServiceValidationTest {

  private final ServiceValidation validation = new ServiceValidation();

  private static Arguments rejects(
      String description, UnaryOperator<ServiceBuilder> change, String... expected) {
    return Arguments.of(description, change, List.of(expected));
  }

  private static Arguments accepts(String description, UnaryOperator<ServiceBuilder> change) {
    return Arguments.of(description, change, List.of());
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        accepts("the fixture as it is", b -> b),
        accepts(
            "a named target port",
            b ->
                b.editSpec()
                    .editFirstPort()
                    .withTargetPort(new IntOrString("http"))
                    .endPort()
                    .endSpec()),
        accepts(
            "an unset type and protocol, defaulted later",
            b ->
                b.editSpec().withType(null).editFirstPort().withProtocol(null).endPort().endSpec()),
        rejects(
            "a name starting with a digit",
            b -> b.editMetadata().withName("1web").endMetadata(),
            "metadata.name: Invalid value: \"1web\": " + DNS_1035_MSG),
        rejects("no ports", b -> b.editSpec().withPorts().endSpec(), "spec.ports: Required value"),
        accepts(
            "a headless service without ports",
            b -> b.editSpec().withPorts().withClusterIP("None").endSpec()),
        accepts(
            "an ExternalName service without ports",
            b ->
                b.editSpec()
                    .withType("ExternalName")
                    .withExternalName("db.example.com.")
                    .withPorts()
                    .withSelector(null)
                    .endSpec()),
        rejects(
            "an ExternalName service without a name",
            b -> b.editSpec().withType("ExternalName").endSpec(),
            "spec.externalName: Required value"),
        rejects(
            "a port of 0",
            b -> b.editSpec().editFirstPort().withPort(0).endPort().endSpec(),
            "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"),
        rejects(
            "a target port above 65535",
            b ->
                b.editSpec()
                    .editFirstPort()
                    .withTargetPort(new IntOrString(65536))
                    .endPort()
                    .endSpec(),
            "spec.ports[0].targetPort: Invalid value: 65536: must be between 1 and 65535,"
                + " inclusive"),
        rejects(
            "a target port name with capitals",
            b ->
                b.editSpec()
                    .editFirstPort()
                    .withTargetPort(new IntOrString("Http"))
                    .endPort()
                    .endSpec(),
            "spec.ports[0].targetPort: Invalid value: \"Http\": must contain only alpha-numeric"
                + " characters (a-z, 0-9), and hyphens (-)"),
        rejects(
            "a node port above 65535",
            b ->
                b.editSpec()
                    .withType("NodePort")
                    .editFirstPort()
                    .withNodePort(70000)
                    .endPort()
                    .endSpec(),
            "spec.ports[0].nodePort: Invalid value: 70000: must be between 1 and 65535,"
                + " inclusive"),
        rejects(
            "a node port on a ClusterIP service",
            b -> b.editSpec().editFirstPort().withNodePort(30080).endPort().endSpec(),
            "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"),
        rejects(
            "two ports without names",
            b -> b.editSpec().addNewPort().withPort(443).withProtocol("TCP").endPort().endSpec(),
            "spec.ports[0].name: Required value",
            "spec.ports[1].name: Required value"),
        rejects(
            "two ports with one name",
            b ->
                b.editSpec()
                    .editFirstPort()
                    .withName("web")
                    .endPort()
                    .addNewPort()
                    .withName("web")
                    .withPort(443)
                    .endPort()
                    .endSpec(),
            "spec.ports[1].name: Duplicate value: \"web\""),
        rejects(
            "the same port and protocol twice",
            b ->
                b.editSpec()
                    .editFirstPort()
                    .withName("a")
                    .endPort()
                    .addNewPort()
                    .withName("b")
                    .withPort(80)
                    .endPort()
                    .endSpec(),
            "spec.ports[1]: Duplicate value: \"80/TCP\""),
        rejects(
            "an unknown type",
            b -> b.editSpec().withType("Ingress").endSpec(),
            "spec.type: Unsupported value: \"Ingress\": supported values: \"ClusterIP\","
                + " \"ExternalName\", \"LoadBalancer\", \"NodePort\""),
        rejects(
            "a cluster IP that is not an IP",
            b -> b.editSpec().withClusterIP("10.96.0.300").endSpec(),
            "spec.clusterIP: Invalid value: \"10.96.0.300\": must be a valid IP address, (e.g."
                + " 10.9.8.7 or 2001:db8::ffff)"),
        accepts("an IPv6 cluster IP", b -> b.editSpec().withClusterIP("fd00:10:96::a").endSpec()),
        rejects(
            "a headless NodePort service",
            b -> b.editSpec().withType("NodePort").withClusterIP("None").endSpec(),
            "spec.clusterIP: Invalid value: \"None\": may not be set to 'None' for NodePort"
                + " services"),
        rejects(
            "an unknown session affinity",
            b -> b.editSpec().withSessionAffinity("Cookie").endSpec(),
            "spec.sessionAffinity: Unsupported value: \"Cookie\": supported values:"
                + " \"ClientIP\", \"None\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void validatesServicesLikeKubernetes(
      String description, UnaryOperator<ServiceBuilder> change, List<String> expected) {
    Service service = change.apply(new ServiceBuilder(Fixtures.service())).build();
    assertThat(messages(validation.validate(service))).containsExactlyElementsOf(expected);
  }
}
