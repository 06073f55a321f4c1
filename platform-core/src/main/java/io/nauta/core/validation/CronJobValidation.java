package io.nauta.core.validation;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobTemplateSpec;
import io.nauta.core.batch.CronSchedule;
import io.nauta.core.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * CronJobs (batch/v1), as Kubernetes' {@code ValidateCronJobCreate} and {@code
 * ValidateCronJobUpdate}: the schedule parsed as cron, no {@code TZ=} in it (the {@code timeZone}
 * field instead, an IANA name), the concurrency policy, the job template validated as a Job's spec
 * and a name the controller can suffix with {@code -<minutes>}.
 */
public final class CronJobValidation implements Validator<CronJob> {

  /** 63 characters of a Job name less the controller's 11-character suffix. */
  static final int MAX_NAME_LENGTH = 52;

  private static final List<String> POLICIES = List.of("Allow", "Forbid", "Replace");
  private static final Pattern TZ_PART = Pattern.compile("^[A-Za-z.\\-_0-9+]{1,14}$");

  @Override
  public List<FieldError> validate(CronJob cronJob) {
    ObjectMeta meta = cronJob.getMetadata() == null ? new ObjectMeta() : cronJob.getMetadata();
    List<FieldError> errs =
        new ArrayList<>(MetadataValidation.validate(meta, NameRule.DNS_SUBDOMAIN, true));
    errs.addAll(spec(spec(cronJob), null));
    if (meta.getName() != null && meta.getName().length() > MAX_NAME_LENGTH) {
      errs.add(
          FieldError.invalid(
              "metadata.name", meta.getName(), "must be no more than 52 characters"));
    }
    return errs;
  }

  /** As upstream, no name length limit on update so older long-named CronJobs can be changed. */
  @Override
  public List<FieldError> validateUpdate(CronJob cronJob, CronJob old) {
    List<FieldError> errs =
        new ArrayList<>(
            MetadataValidation.validateUpdate(cronJob.getMetadata(), old.getMetadata()));
    ObjectMeta meta = cronJob.getMetadata() == null ? new ObjectMeta() : cronJob.getMetadata();
    errs.addAll(MetadataValidation.validate(meta, NameRule.DNS_SUBDOMAIN, true));
    errs.addAll(spec(spec(cronJob), spec(old)));
    return errs;
  }

  private static CronJobSpec spec(CronJob cronJob) {
    return cronJob.getSpec() == null ? new CronJobSpec() : cronJob.getSpec();
  }

  private static List<FieldError> spec(CronJobSpec spec, CronJobSpec old) {
    List<FieldError> errs = new ArrayList<>();
    String schedule = spec.getSchedule();
    if (schedule == null || schedule.isEmpty()) {
      errs.add(FieldError.required("spec.schedule", ""));
    } else {
      boolean tzAllowed =
          old != null && old.getSchedule() != null && old.getSchedule().contains("TZ");
      errs.addAll(schedule(schedule, tzAllowed, spec.getTimeZone()));
    }
    errs.addAll(
        MetadataValidation.nonNegative(
            "spec.startingDeadlineSeconds", spec.getStartingDeadlineSeconds()));
    if (old == null || !Objects.equals(old.getTimeZone(), spec.getTimeZone())) {
      errs.addAll(timeZone(spec.getTimeZone()));
    }
    String policy = spec.getConcurrencyPolicy();
    if (policy == null || policy.isEmpty()) {
      errs.add(FieldError.required("spec.concurrencyPolicy", ""));
    } else {
      errs.addAll(EnumValidation.oneOf("spec.concurrencyPolicy", policy, POLICIES));
    }
    errs.addAll(jobTemplate(spec.getJobTemplate()));
    errs.addAll(
        MetadataValidation.nonNegative(
            "spec.successfulJobsHistoryLimit", spec.getSuccessfulJobsHistoryLimit()));
    errs.addAll(
        MetadataValidation.nonNegative(
            "spec.failedJobsHistoryLimit", spec.getFailedJobsHistoryLimit()));
    return errs;
  }

  private static List<FieldError> schedule(String schedule, boolean tzAllowed, String timeZone) {
    List<FieldError> errs = new ArrayList<>();
    try {
      CronSchedule.parse(schedule);
    } catch (IllegalArgumentException e) {
      errs.add(FieldError.invalid("spec.schedule", schedule, e.getMessage()));
    }
    if (tzAllowed && schedule.contains("TZ") && timeZone != null) {
      errs.add(
          FieldError.invalid(
              "spec.schedule",
              schedule,
              "cannot use both timeZone field and TZ or CRON_TZ in schedule"));
    } else if (!tzAllowed && schedule.contains("TZ")) {
      errs.add(
          FieldError.invalid(
              "spec.schedule",
              schedule,
              "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
    }
    return errs;
  }

  private static List<FieldError> timeZone(String timeZone) {
    String field = "spec.timeZone";
    if (timeZone == null) {
      return List.of();
    }
    if (timeZone.isEmpty()) {
      return List.of(
          FieldError.invalid(field, timeZone, "timeZone must be nil or non-empty string"));
    }
    for (String part : timeZone.split("/", -1)) {
      if (".".equals(part)
          || "..".equals(part)
          || part.startsWith("-")
          || !TZ_PART.matcher(part).matches()) {
        return List.of(FieldError.invalid(field, timeZone, "unknown time zone " + timeZone));
      }
    }
    List<FieldError> errs = new ArrayList<>();
    if ("local".equalsIgnoreCase(timeZone)) {
      errs.add(
          FieldError.invalid(
              field,
              timeZone,
              "timeZone must be an explicit time zone as defined in"
                  + " https://www.iana.org/time-zones"));
    }
    if (!"Local".equals(timeZone) && CronSchedule.zone(timeZone).isEmpty()) {
      errs.add(FieldError.invalid(field, timeZone, "unknown time zone " + timeZone));
    }
    return errs;
  }

  /** Upstream's {@code ValidateJobTemplateSpec}: a Job's spec whose selector is generated. */
  private static List<FieldError> jobTemplate(JobTemplateSpec template) {
    JobSpec spec =
        template == null || template.getSpec() == null ? new JobSpec() : template.getSpec();
    List<FieldError> errs = new ArrayList<>();
    for (FieldError e : JobValidation.spec(spec)) {
      String field = "spec.jobTemplate." + e.field();
      errs.add(new FieldError(e.type(), field, e.value(), e.detail()));
    }
    if (spec.getSelector() != null) {
      errs.add(
          FieldError.invalid(
              "spec.jobTemplate.spec.selector",
              LabelSelectorValidation.render(spec.getSelector()),
              "`selector` will be auto-generated"));
    }
    if (Boolean.TRUE.equals(spec.getManualSelector())) {
      errs.add(
          FieldError.notSupported(
              "spec.jobTemplate.spec.manualSelector",
              true,
              EnumValidation.supported(List.of("nil", "false"))));
    }
    return errs;
  }
}
