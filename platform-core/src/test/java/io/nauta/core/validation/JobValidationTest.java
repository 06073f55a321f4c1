package io.nauta.core.validation;

import static io.nauta.core.validation.Fixtures.messages;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JobValidationTest {

  private static final String UID = "0b6a4f6e-6d3c-4c47-9d84-0d0e2c8d7c11";
  private final JobValidation jobs = new JobValidation();

  /** A Job as the server stores it after defaults and selector generation. */
  static JobBuilder job() {
    return new JobBuilder()
        .withNewMetadata()
        .withName("pi")
        .withNamespace("default")
        .withUid(UID)
        .endMetadata()
        .withNewSpec()
        .withParallelism(1)
        .withCompletions(1)
        .withBackoffLimit(6)
        .withCompletionMode("NonIndexed")
        .withSuspend(false)
        .withManualSelector(false)
        .withPodReplacementPolicy("TerminatingOrFailed")
        .withNewSelector()
        .addToMatchLabels(JobValidation.CONTROLLER_UID_LABEL, UID)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels(JobValidation.CONTROLLER_UID_LABEL, UID)
        .addToLabels(JobValidation.JOB_NAME_LABEL, "pi")
        .addToLabels("controller-uid", UID)
        .addToLabels("job-name", "pi")
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withDnsPolicy("ClusterFirst")
        .addNewContainer()
        .withName("pi")
        .withImage("nauta/busybox:local")
        .withImagePullPolicy("IfNotPresent")
        .withTerminationMessagePolicy("File")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec();
  }

  private static Arguments rejects(
      String description, UnaryOperator<JobBuilder> change, String... expected) {
    return Arguments.of(description, change, List.of(expected));
  }

  private static Arguments accepts(String description, UnaryOperator<JobBuilder> change) {
    return Arguments.of(description, change, List.of());
  }

  static Stream<Arguments> createCases() {
    return Stream.of(
        accepts("the fixture as it is", b -> b),
        accepts(
            "an Indexed Job with completions",
            b -> b.editSpec().withCompletionMode("Indexed").withCompletions(5).endSpec()),
        rejects(
            "restartPolicy Always",
            b ->
                b.editSpec()
                    .editTemplate()
                    .editSpec()
                    .withRestartPolicy("Always")
                    .endSpec()
                    .endTemplate()
                    .endSpec(),
            "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\","
                + " \"Never\""),
        rejects(
            "Indexed without completions",
            b -> b.editSpec().withCompletionMode("Indexed").withCompletions(null).endSpec(),
            "spec.completions: Required value: when completion mode is Indexed"),
        rejects(
            "an unknown completion mode",
            b -> b.editSpec().withCompletionMode("Sometimes").endSpec(),
            "spec.completionMode: Unsupported value: \"Sometimes\": supported values:"
                + " \"NonIndexed\", \"Indexed\""),
        rejects(
            "negative counts",
            b -> b.editSpec().withParallelism(-1).withBackoffLimit(-2).endSpec(),
            "spec.parallelism: Invalid value: -1: must be greater than or equal to 0",
            "spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0"),
        rejects(
            "backoffLimitPerIndex on a NonIndexed Job",
            b -> b.editSpec().withBackoffLimitPerIndex(1).endSpec(),
            "spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode"),
        rejects(
            "maxFailedIndexes without backoffLimitPerIndex",
            b ->
                b.editSpec()
                    .withCompletionMode("Indexed")
                    .withCompletions(3)
                    .withMaxFailedIndexes(1)
                    .endSpec(),
            "spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified"),
        rejects(
            "a template label that is not the generated one",
            b ->
                b.editSpec()
                    .editTemplate()
                    .editMetadata()
                    .addToLabels("job-name", "other")
                    .endMetadata()
                    .endTemplate()
                    .endSpec(),
            "spec.template.metadata.labels[job-name]: Invalid value:"),
        rejects(
            "a selector that is not the generated one",
            b ->
                b.editSpec()
                    .editSelector()
                    .addToMatchLabels(JobValidation.CONTROLLER_UID_LABEL, "other")
                    .endSelector()
                    .endSpec(),
            "spec.selector: Invalid value: \"batch.kubernetes.io/controller-uid=other\":"
                + " `selector` not auto-generated",
            "spec.template.metadata.labels: Invalid value:"),
        accepts(
            "a manual selector that matches the template",
            b ->
                b.editSpec()
                    .withManualSelector(true)
                    .withNewSelector()
                    .addToMatchLabels("app", "pi")
                    .endSelector()
                    .editTemplate()
                    .editMetadata()
                    .withLabels(java.util.Map.of("app", "pi"))
                    .endMetadata()
                    .endTemplate()
                    .endSpec()),
        rejects(
            "an Indexed Job whose last pod hostname is no DNS label",
            b ->
                b.editMetadata()
                    .withName("a".repeat(62))
                    .endMetadata()
                    .editSpec()
                    .withCompletionMode("Indexed")
                    .withCompletions(10)
                    .editTemplate()
                    .editMetadata()
                    .addToLabels("job-name", "a".repeat(62))
                    .addToLabels(JobValidation.JOB_NAME_LABEL, "a".repeat(62))
                    .endMetadata()
                    .endTemplate()
                    .endSpec(),
            "metadata.name: Invalid value: \""
                + "a".repeat(62)
                + "\": will not able to create pod with invalid DNS label: "
                + "a".repeat(62)
                + "-9"),
        rejects(
            "a pod failure policy rule with neither exit codes nor conditions",
            b ->
                b.editSpec()
                    .withNewPodFailurePolicy()
                    .addNewRule()
                    .withAction("Ignore")
                    .endRule()
                    .endPodFailurePolicy()
                    .withPodReplacementPolicy("Failed")
                    .endSpec(),
            "spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and"
                + " OnPodConditions is required"),
        rejects(
            "a Complete Job that still has active pods",
            b ->
                b.withNewStatus()
                    .withActive(1)
                    .withStartTime("2026-01-01T00:00:00Z")
                    .withCompletionTime("2026-01-01T00:00:01Z")
                    .addNewCondition()
                    .withType("Complete")
                    .withStatus("True")
                    .endCondition()
                    .endStatus(),
            "status.active: Invalid value: 1: active>0 is invalid for finished job"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("createCases")
  void create(String description, UnaryOperator<JobBuilder> change, List<String> expected) {
    List<String> messages = messages(jobs.validate(change.apply(job()).build()));
    if (expected.isEmpty()) {
      assertThat(messages).isEmpty();
    }
    for (String e : expected) {
      assertThat(messages).anySatisfy(m -> assertThat(m).startsWith(e));
    }
    assertThat(messages).hasSize(expected.size());
  }

  static Stream<Arguments> updateCases() {
    return Stream.of(
        accepts(
            "suspend and parallelism",
            b -> b.editSpec().withSuspend(true).withParallelism(3).endSpec()),
        rejects(
            "completions of a NonIndexed Job",
            b -> b.editSpec().withCompletions(2).endSpec(),
            "spec.completions: Invalid value: 2: field is immutable"),
        accepts(
            "completions of an Indexed Job in tandem with parallelism",
            b ->
                b.editSpec()
                    .withCompletionMode("Indexed")
                    .withCompletions(4)
                    .withParallelism(4)
                    .endSpec()),
        rejects(
            "the template's image",
            b ->
                b.editSpec()
                    .editTemplate()
                    .editSpec()
                    .editFirstContainer()
                    .withImage("nauta/redis:local")
                    .endContainer()
                    .endSpec()
                    .endTemplate()
                    .endSpec(),
            "spec.template: Invalid value:"),
        rejects(
            "a lower succeeded count",
            b -> b.withNewStatus().withSucceeded(0).endStatus(),
            "status.succeeded: Invalid value: 0: cannot decrease the succeeded counter"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("updateCases")
  void update(String description, UnaryOperator<JobBuilder> change, List<String> expected) {
    JobBuilder oldBuilder = job();
    if (description.contains("an Indexed Job")) {
      oldBuilder.editSpec().withCompletionMode("Indexed").withCompletions(2).endSpec();
    }
    Job old = oldBuilder.withNewStatus().withSucceeded(1).endStatus().build();
    JobBuilder now = new JobBuilder(old);
    List<String> messages = messages(jobs.validateUpdate(change.apply(now).build(), old));
    for (String e : expected) {
      assertThat(messages).anySatisfy(m -> assertThat(m).startsWith(e));
    }
    assertThat(messages).hasSize(expected.size());
  }

  @org.junit.jupiter.api.Test
  void aSuspendedJobThatNeverStartedMayChangeItsSchedulingDirectives() {
    Job old = job().editSpec().withSuspend(true).endSpec().build();
    Job now =
        new JobBuilder(old)
            .editSpec()
            .editTemplate()
            .editSpec()
            .addToNodeSelector("zone", "a")
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    assertThat(messages(jobs.validateUpdate(now, old))).isEmpty();
    Job started =
        new JobBuilder(old)
            .withNewStatus()
            .withStartTime("2026-01-01T00:00:00Z")
            .endStatus()
            .build();
    Job changed = new JobBuilder(now).withStatus(started.getStatus()).build();
    assertThat(messages(jobs.validateUpdate(changed, started)))
        .anySatisfy(m -> assertThat(m).startsWith("spec.template: Invalid value:"));
  }
}
