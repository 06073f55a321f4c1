package io.nauta.core.validation;

import static io.nauta.core.validation.Fixtures.DNS_1035_MSG;
import static io.nauta.core.validation.Fixtures.DNS_LABEL_MSG;
import static io.nauta.core.validation.Fixtures.DNS_SUBDOMAIN_MSG;
import static io.nauta.core.validation.Fixtures.messages;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MetadataValidationTest {

  private static ObjectMetaBuilder meta() {
    return new ObjectMetaBuilder().withName("web").withNamespace("default").withUid("u1");
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "a plain namespaced object", meta().build(), NameRule.DNS_SUBDOMAIN, true, List.of()),
        Arguments.of(
            "a missing name",
            meta().withName(null).build(),
            NameRule.DNS_SUBDOMAIN,
            true,
            List.of("metadata.name: Required value: name or generateName is required")),
        Arguments.of(
            "a subdomain name with capitals",
            meta().withName("Web").build(),
            NameRule.DNS_SUBDOMAIN,
            true,
            List.of("metadata.name: Invalid value: \"Web\": " + DNS_SUBDOMAIN_MSG)),
        Arguments.of(
            "a dotted name where a label is needed",
            meta().withName("my.ns").withNamespace(null).build(),
            NameRule.DNS_LABEL,
            false,
            List.of("metadata.name: Invalid value: \"my.ns\": " + DNS_LABEL_MSG)),
        Arguments.of(
            "a service name starting with a digit",
            meta().withName("1web").build(),
            NameRule.DNS_1035_LABEL,
            true,
            List.of("metadata.name: Invalid value: \"1web\": " + DNS_1035_MSG)),
        Arguments.of(
            "a generateName ending in a dash",
            meta().withGenerateName("web-").withName("web-x7k2p").build(),
            NameRule.DNS_SUBDOMAIN,
            true,
            List.of()),
        Arguments.of(
            "a missing namespace on a namespaced kind",
            meta().withNamespace(null).build(),
            NameRule.DNS_SUBDOMAIN,
            true,
            List.of("metadata.namespace: Required value")),
        Arguments.of(
            "a namespace on a cluster-scoped kind",
            meta().build(),
            NameRule.DNS_SUBDOMAIN,
            false,
            List.of("metadata.namespace: Forbidden: not allowed on this type")),
        Arguments.of(
            "a label key with two slashes",
            meta().withLabels(Map.of("a/b/c", "x")).build(),
            NameRule.DNS_SUBDOMAIN,
            true,
            List.of(
                "metadata.labels: Invalid value: \"a/b/c\": a qualified name must consist of"
                    + " alphanumeric characters, '-', '_' or '.', and must start and end with an"
                    + " alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc',"
                    + " regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
                    + " with an optional DNS subdomain prefix and '/' (e.g."
                    + " 'example.com/MyName')")),
        Arguments.of(
            "a label value that is too long",
            meta().withLabels(Map.of("app", "v".repeat(64))).build(),
            NameRule.DNS_SUBDOMAIN,
            true,
            List.of(
                "metadata.labels: Invalid value: \""
                    + "v".repeat(64)
                    + "\": must be no more than 63 characters")),
        Arguments.of(
            "an annotation key in capitals",
            meta().withAnnotations(Map.of("Example.COM/Note", "x")).build(),
            NameRule.DNS_SUBDOMAIN,
            true,
            List.of()),
        Arguments.of(
            "annotations over 256 KiB",
            meta().withAnnotations(Map.of("big", "x".repeat(256 * 1024))).build(),
            NameRule.DNS_SUBDOMAIN,
            true,
            List.of("metadata.annotations: Too long: may not be more than 262144 bytes")),
        Arguments.of(
            "an owner reference without identity",
            // fabric8 pre-fills apiVersion "v1" and kind "OwnerReference"; clear them as JSON
            // would.
            meta()
                .withOwnerReferences(
                    new OwnerReferenceBuilder().withApiVersion("").withKind("").build())
                .build(),
            NameRule.DNS_SUBDOMAIN,
            true,
            List.of(
                "metadata.ownerReferences.apiVersion: Invalid value: \"\": version must not be"
                    + " empty",
                "metadata.ownerReferences.kind: Invalid value: \"\": must not be empty",
                "metadata.ownerReferences.name: Invalid value: \"\": must not be empty",
                "metadata.ownerReferences.uid: Invalid value: \"\": must not be empty")),
        Arguments.of(
            "two controller owner references",
            meta().withOwnerReferences(owner("a", true), owner("b", true)).build(),
            NameRule.DNS_SUBDOMAIN,
            true,
            List.of(
                "metadata.ownerReferences: Invalid value: \"[ReplicaSet/a, ReplicaSet/b]\": Only"
                    + " one reference can have Controller set to true. Found \"true\" in"
                    + " references for ReplicaSet/a and ReplicaSet/b")),
        Arguments.of(
            "orphan and foreground finalizers together",
            meta().withFinalizers("orphan", "foregroundDeletion").build(),
            NameRule.DNS_SUBDOMAIN,
            true,
            List.of(
                "metadata.finalizers: Invalid value: [orphan, foregroundDeletion]: finalizer"
                    + " orphan and foregroundDeletion cannot be both set")),
        Arguments.of(
            "a negative generation",
            meta().withGeneration(-1L).build(),
            NameRule.DNS_SUBDOMAIN,
            true,
            List.of("metadata.generation: Invalid value: -1: must be greater than or equal to 0")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void validatesMetadataLikeKubernetes(
      String description,
      ObjectMeta meta,
      NameRule rule,
      boolean namespaced,
      List<String> expected) {
    assertThat(messages(MetadataValidation.validate(meta, rule, namespaced)))
        .containsExactlyElementsOf(expected);
  }

  private static OwnerReference owner(String name, boolean controller) {
    return new OwnerReferenceBuilder()
        .withApiVersion("apps/v1")
        .withKind("ReplicaSet")
        .withName(name)
        .withUid("uid-" + name)
        .withController(controller)
        .build();
  }
}
