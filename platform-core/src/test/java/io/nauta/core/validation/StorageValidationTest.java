package io.nauta.core.validation;

import static io.nauta.core.validation.Fixtures.messages;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Updates of claims, volumes and classes: what upstream lets change after creation, and how. */
class StorageValidationTest {

  private final PersistentVolumeClaimValidation claims = new PersistentVolumeClaimValidation();
  private final PersistentVolumeValidation volumes = new PersistentVolumeValidation();
  private final StorageClassValidation classes = new StorageClassValidation();

  /** A claim as stored: defaulted, Pending, no volume yet. */
  static PersistentVolumeClaimBuilder claim() {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName("data")
        .withNamespace("default")
        .withUid("u1")
        .withResourceVersion("5")
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withNewResources()
        .addToRequests("storage", new Quantity("1Gi"))
        .endResources()
        .withVolumeMode("Filesystem")
        .endSpec()
        .withNewStatus()
        .withPhase("Pending")
        .endStatus();
  }

  private static Arguments claimUpdate(
      String why,
      UnaryOperator<PersistentVolumeClaimBuilder> old,
      UnaryOperator<PersistentVolumeClaimBuilder> now,
      String... expected) {
    return Arguments.of(why, old, now, List.of(expected));
  }

  static Stream<Arguments> claimUpdates() {
    String immutable = "spec: Forbidden: " + PersistentVolumeClaimValidation.SPEC_IMMUTABLE + "\n";
    return Stream.of(
        claimUpdate(
            "the binder sets volumeName once",
            b -> b,
            b -> b.editSpec().withVolumeName("pv").endSpec()),
        claimUpdate(
            "then it stays",
            b -> b.editSpec().withVolumeName("pv").endSpec(),
            b -> b.editSpec().withVolumeName("other").endSpec(),
            immutable),
        claimUpdate(
            "a class where there was none (retroactive default)",
            b -> b,
            b -> b.editSpec().withStorageClassName("fast").endSpec()),
        claimUpdate(
            "but not another class",
            b -> b.editSpec().withStorageClassName("fast").endSpec(),
            b -> b.editSpec().withStorageClassName("slow").endSpec(),
            immutable),
        claimUpdate(
            "from the beta annotation to the same class in the field",
            b -> b.editMetadata().addToAnnotations(StorageClassesBeta.KEY, "fast").endMetadata(),
            b ->
                b.editMetadata()
                    .addToAnnotations(StorageClassesBeta.KEY, "fast")
                    .endMetadata()
                    .editSpec()
                    .withStorageClassName("fast")
                    .endSpec()),
        claimUpdate(
            "the beta annotation itself is immutable",
            b -> b.editMetadata().addToAnnotations(StorageClassesBeta.KEY, "fast").endMetadata(),
            b -> b.editMetadata().addToAnnotations(StorageClassesBeta.KEY, "slow").endMetadata(),
            "metadata.annotations.volume.beta.kubernetes.io/storage-class: Invalid value:"
                + " \"slow\": field is immutable"),
        claimUpdate(
            "a bound claim may ask for more",
            b -> b.withNewStatus().withPhase("Bound").endStatus(),
            b ->
                b.editSpec()
                    .editResources()
                    .addToRequests("storage", new Quantity("2Gi"))
                    .endResources()
                    .endSpec()
                    .withNewStatus()
                    .withPhase("Bound")
                    .endStatus()),
        claimUpdate(
            "a pending one may not",
            b -> b,
            b ->
                b.editSpec()
                    .editResources()
                    .addToRequests("storage", new Quantity("2Gi"))
                    .endResources()
                    .endSpec(),
            immutable),
        claimUpdate(
            "the volume mode is immutable",
            b -> b,
            b -> b.editSpec().withVolumeMode("Block").endSpec(),
            immutable,
            "volumeMode: Invalid value: \"Block\": field is immutable"),
        claimUpdate(
            "a claim stored before its defaults reads as defaulted",
            b -> b.editSpec().withVolumeMode(null).endSpec(),
            b -> b.editSpec().withVolumeMode("Filesystem").endSpec()),
        claimUpdate(
            "volumeAttributesClassName may change but not go away",
            b -> b.editSpec().withVolumeAttributesClassName("gold").endSpec(),
            b -> b.editSpec().withVolumeAttributesClassName("").endSpec(),
            "spec.volumeAttributesClassName: Forbidden: update from non-nil value to an empty"
                + " string is forbidden"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("claimUpdates")
  void claimUpdates(
      String why,
      UnaryOperator<PersistentVolumeClaimBuilder> old,
      UnaryOperator<PersistentVolumeClaimBuilder> now,
      List<String> expected) {
    PersistentVolumeClaim was = old.apply(claim()).build();
    PersistentVolumeClaim updated = now.apply(new PersistentVolumeClaimBuilder(was)).build();
    List<String> got = messages(claims.validateUpdate(updated, was));
    assertThat(got).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      assertThat(got.get(i)).startsWith(expected.get(i));
    }
  }

  /** The diff names the Go field that changed, as cmp.Diff does. */
  @Test
  void theImmutableSpecErrorShowsWhatChanged() {
    PersistentVolumeClaim was = claim().build();
    PersistentVolumeClaim now =
        new PersistentVolumeClaimBuilder(was)
            .editSpec()
            .withAccessModes("ReadWriteMany")
            .endSpec()
            .build();
    assertThat(messages(claims.validateUpdate(now, was)).get(0))
        .contains(
            "  core.PersistentVolumeClaimSpec{\n",
            "- \tAccessModes: [\"ReadWriteOnce\"],\n",
            "+ \tAccessModes: [\"ReadWriteMany\"],\n");
  }

  static PersistentVolumeBuilder localVolume() {
    return new PersistentVolumeBuilder()
        .withNewMetadata()
        .withName("pv")
        .withUid("u2")
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .addToCapacity("storage", new Quantity("1Gi"))
        .withPersistentVolumeReclaimPolicy("Delete")
        .withVolumeMode("Filesystem")
        .withNewLocal()
        .withPath("/var/lib/nauta/volumes/pv")
        .endLocal()
        .withNewNodeAffinity()
        .withNewRequired()
        .addNewNodeSelectorTerm()
        .addNewMatchExpression()
        .withKey("kubernetes.io/hostname")
        .withOperator("In")
        .withValues("node-1")
        .endMatchExpression()
        .endNodeSelectorTerm()
        .endRequired()
        .endNodeAffinity()
        .endSpec();
  }

  @Test
  void aVolumeKeepsItsSourceAndAffinityButMayBeReclaimedOtherwiseAndBound() {
    PersistentVolume was = localVolume().build();
    assertThat(volumes.validate(was)).isEmpty();
    PersistentVolume bound =
        new PersistentVolumeBuilder(was)
            .editSpec()
            .withPersistentVolumeReclaimPolicy("Retain")
            .withNewClaimRef()
            .withNamespace("default")
            .withName("data")
            .endClaimRef()
            .endSpec()
            .build();
    assertThat(volumes.validateUpdate(bound, was)).isEmpty();

    PersistentVolume moved =
        new PersistentVolumeBuilder(was)
            .editSpec()
            .editLocal()
            .withPath("/elsewhere")
            .endLocal()
            .editNodeAffinity()
            .editRequired()
            .editFirstNodeSelectorTerm()
            .editFirstMatchExpression()
            .withValues("node-2")
            .endMatchExpression()
            .endNodeSelectorTerm()
            .endRequired()
            .endNodeAffinity()
            .endSpec()
            .build();
    List<String> errs = messages(volumes.validateUpdate(moved, was));
    assertThat(errs).hasSize(2);
    assertThat(errs.get(0))
        .startsWith(
            "spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable"
                + " after creation\n  core.PersistentVolumeSource{\n- \tLocal: ");
    assertThat(errs.get(1))
        .startsWith("nodeAffinity: Invalid value: ")
        .endsWith("field is immutable");
  }

  @Test
  void aVolumesNodeSelectorIsCheckedAsAPodsRequiredAffinity() {
    PersistentVolume pv =
        localVolume()
            .editSpec()
            .editNodeAffinity()
            .editRequired()
            .editFirstNodeSelectorTerm()
            .editFirstMatchExpression()
            .withOperator("Near")
            .endMatchExpression()
            .addNewMatchField()
            .withKey("metadata.uid")
            .withOperator("In")
            .withValues("a", "b")
            .endMatchField()
            .endNodeSelectorTerm()
            .endRequired()
            .endNodeAffinity()
            .endSpec()
            .build();
    String term = "spec.nodeAffinity.required.nodeSelectorTerms[0]";
    assertThat(messages(volumes.validate(pv)))
        .containsExactly(
            term
                + ".matchExpressions[0].operator: Invalid value: \"Near\": not a valid selector"
                + " operator",
            term
                + ".matchFields[0].values: Required value: must be only one value when `operator`"
                + " is 'In' or 'NotIn' for node field selector",
            term
                + ".matchFields[0].key: Invalid value: \"metadata.uid\": not a valid field"
                + " selector key");
  }

  @Test
  void aClassKeepsItsProvisionerParametersPolicyAndBindingMode() {
    StorageClass was =
        new StorageClassBuilder()
            .withNewMetadata()
            .withName("fast")
            .withUid("u3")
            .endMetadata()
            .withProvisioner("example.com/disk")
            .addToParameters("type", "ssd")
            .withReclaimPolicy("Delete")
            .withVolumeBindingMode("Immediate")
            .build();
    assertThat(classes.validate(was)).isEmpty();
    StorageClass expandable =
        new StorageClassBuilder(was)
            .withAllowVolumeExpansion(true)
            .editMetadata()
            .addToAnnotations("storageclass.kubernetes.io/is-default-class", "true")
            .endMetadata()
            .build();
    assertThat(classes.validateUpdate(expandable, was)).isEmpty();
    StorageClass changed =
        new StorageClassBuilder(was)
            .addToParameters("type", "hdd")
            .withVolumeBindingMode("WaitForFirstConsumer")
            .withProvisioner("Example.com/Bad Name")
            .build();
    assertThat(messages(classes.validateUpdate(changed, was)))
        .containsExactly(
            "provisioner: Invalid value: \"example.com/bad name\": name part must consist of"
                + " alphanumeric characters, '-', '_' or '.', and must start and end with an"
                + " alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex"
                + " used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
            "parameters: Forbidden: updates to parameters are forbidden.",
            "provisioner: Forbidden: updates to provisioner are forbidden.",
            "volumeBindingMode: Invalid value: \"WaitForFirstConsumer\": field is immutable");
  }

  /** The beta class annotation's key, as claims from before storageClassName carry it. */
  private static final class StorageClassesBeta {
    static final String KEY = io.nauta.core.storage.StorageClasses.BETA_STORAGE_CLASS;
  }
}
