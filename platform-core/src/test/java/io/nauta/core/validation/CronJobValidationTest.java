package io.nauta.core.validation;

import static io.nauta.core.validation.Fixtures.messages;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import org.junit.jupiter.api.Test;

class CronJobValidationTest {

  private final CronJobValidation validation = new CronJobValidation();

  /** A CronJob as the server stores it after defaults. */
  static CronJobBuilder cronJob() {
    return new CronJobBuilder()
        .withNewMetadata()
        .withName("backup")
        .withNamespace("default")
        .withUid("u1")
        .endMetadata()
        .withNewSpec()
        .withSchedule("*/5 * * * *")
        .withConcurrencyPolicy("Allow")
        .withSuspend(false)
        .withSuccessfulJobsHistoryLimit(3)
        .withFailedJobsHistoryLimit(1)
        .withNewJobTemplate()
        .withNewSpec()
        .withNewTemplate()
        .withNewSpec()
        .withRestartPolicy("OnFailure")
        .withDnsPolicy("ClusterFirst")
        .addNewContainer()
        .withName("c")
        .withImage("nauta/busybox:local")
        .withImagePullPolicy("IfNotPresent")
        .withTerminationMessagePolicy("File")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .endJobTemplate()
        .endSpec();
  }

  @Test
  void acceptsAValidCronJobWithDescriptorsAndTimeZones() {
    assertThat(messages(validation.validate(cronJob().build()))).isEmpty();
    CronJob daily =
        cronJob()
            .editSpec()
            .withSchedule("@daily")
            .withTimeZone("America/New_York")
            .endSpec()
            .build();
    assertThat(messages(validation.validate(daily))).isEmpty();
  }

  @Test
  void refusesWhatUpstreamRefuses() {
    CronJob bad =
        cronJob()
            .editMetadata()
            .withName("n".repeat(53))
            .endMetadata()
            .editSpec()
            .withSchedule("TZ=UTC 0 0 * * *")
            .withTimeZone("Local")
            .withStartingDeadlineSeconds(-1L)
            .withConcurrencyPolicy("Never")
            .withSuccessfulJobsHistoryLimit(-1)
            .editJobTemplate()
            .editSpec()
            .withManualSelector(true)
            .withParallelism(-1)
            .endSpec()
            .endJobTemplate()
            .endSpec()
            .build();
    assertThat(messages(validation.validate(bad)))
        .containsExactly(
            "spec.schedule: Invalid value: \"TZ=UTC 0 0 * * *\": cannot use TZ or CRON_TZ in"
                + " schedule, use timeZone field instead",
            "spec.startingDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0",
            "spec.timeZone: Invalid value: \"Local\": timeZone must be an explicit time zone as"
                + " defined in https://www.iana.org/time-zones",
            "spec.concurrencyPolicy: Unsupported value: \"Never\": supported values: \"Allow\","
                + " \"Forbid\", \"Replace\"",
            "spec.jobTemplate.spec.parallelism: Invalid value: -1: must be greater than or equal"
                + " to 0",
            "spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values:"
                + " \"nil\", \"false\"",
            "spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to"
                + " 0",
            "metadata.name: Invalid value: \""
                + "n".repeat(53)
                + "\": must be no more than 52"
                + " characters");
  }

  @Test
  void anUpdateKeepsAnOldTzScheduleAndLongNameButNotBothTzForms() {
    CronJob old =
        cronJob()
            .editMetadata()
            .withName("n".repeat(60))
            .withResourceVersion("1")
            .endMetadata()
            .editSpec()
            .withSchedule("CRON_TZ=UTC 0 0 * * *")
            .endSpec()
            .build();
    CronJob suspended = new CronJobBuilder(old).editSpec().withSuspend(true).endSpec().build();
    assertThat(messages(validation.validateUpdate(suspended, old))).isEmpty();
    CronJob both = new CronJobBuilder(old).editSpec().withTimeZone("UTC").endSpec().build();
    assertThat(messages(validation.validateUpdate(both, old)))
        .containsExactly(
            "spec.schedule: Invalid value: \"CRON_TZ=UTC 0 0 * * *\": cannot use both timeZone"
                + " field and TZ or CRON_TZ in schedule");
  }

  @Test
  void unknownTimeZonesAreRefused() {
    CronJob mars = cronJob().editSpec().withTimeZone("Mars/Olympus_Mons").endSpec().build();
    assertThat(messages(validation.validate(mars)))
        .containsExactly(
            "spec.timeZone: Invalid value: \"Mars/Olympus_Mons\": unknown time zone"
                + " Mars/Olympus_Mons");
    CronJob dots = cronJob().editSpec().withTimeZone("../etc/passwd").endSpec().build();
    assertThat(messages(validation.validate(dots)))
        .containsExactly(
            "spec.timeZone: Invalid value: \"../etc/passwd\": unknown time zone ../etc/passwd");
  }
}
