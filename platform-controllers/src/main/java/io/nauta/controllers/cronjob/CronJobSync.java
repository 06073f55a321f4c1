package io.nauta.controllers.cronjob;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobTemplateSpec;
import io.nauta.core.batch.CronSchedule;
import io.nauta.core.controller.OwnerReferences;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.workqueue.Result;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One pass of Kubernetes' CronJob controller ({@code cronjob_controllerv2.go}'s {@code sync}) for
 * one CronJob key, from the informers' stores and a clock.
 *
 * <p>Each scheduled time gets one Job named {@code <cronjob>-<minutes since the epoch>}: the name
 * is the lock, so a pass repeated after a restart or a lost status write finds the Job there
 * (AlreadyExists) and only records it as active. After the controller was down, only the most
 * recent missed time runs; more than 100 missed times are reported as an event.
 */
final class CronJobSync {

  static final String SCHEDULED_TIMESTAMP_ANNOTATION =
      "batch.kubernetes.io/cronjob-scheduled-timestamp";

  /** Upstream's {@code nextScheduleDelta}: wake a little after the scheduled time. */
  static final Duration NEXT_SCHEDULE_DELTA = Duration.ofMillis(100);

  private static final int TOO_MANY_MISSED = 100;

  private final InformerStore<CronJob> cronJobs;
  private final InformerStore<Job> jobs;
  private final CronJobClient client;
  private final Clock clock;

  CronJobSync(
      InformerStore<CronJob> cronJobs, InformerStore<Job> jobs, CronJobClient client, Clock clock) {
    this.cronJobs = cronJobs;
    this.jobs = jobs;
    this.client = client;
    this.clock = clock;
  }

  /** Upstream's {@code missedSchedules}: how many runs were missed (roughly). */
  enum Missed {
    NONE,
    FEW,
    MANY
  }

  /** The most recent scheduled time not after now, if any, and whether many were missed. */
  record MostRecent(Instant earliest, Instant mostRecent, Missed missed) {}

  /** The state of one pass: the CronJob as it will be written and whether its status changed. */
  private static final class Pass {
    CronJob cronJob;
    boolean updateStatus;
    Duration requeueAfter;

    Pass(CronJob cronJob) {
      this.cronJob = cronJob;
    }

    CronJobStatus status() {
      if (cronJob.getStatus() == null) {
        cronJob.setStatus(new CronJobStatus());
      }
      return cronJob.getStatus();
    }
  }

  Mono<Result> sync(String key) {
    Optional<CronJob> cached = cronJobs.get(key);
    if (cached.isEmpty()) {
      return Mono.just(Result.done());
    }
    Pass pass = new Pass(new CronJobBuilder(cached.get()).build());
    String namespace = pass.cronJob.getMetadata().getNamespace();
    List<Job> children =
        jobs.byIndex(InformerStore.BY_NAMESPACE, namespace).stream()
            .filter(j -> OwnerReferences.isControlledBy(j, pass.cronJob))
            .toList();
    return reconcileChildren(pass, children)
        .then(Mono.defer(() -> missingActive(pass, children)))
        .then(Mono.defer(() -> schedule(pass)))
        .then(Mono.defer(() -> cleanupFinished(pass, children)))
        .then(
            Mono.defer(
                () ->
                    pass.updateStatus
                        ? client.updateStatus(pass.cronJob).then()
                        : Mono.<Void>empty()))
        .then(
            Mono.fromSupplier(
                () ->
                    pass.requeueAfter == null
                        ? Result.done()
                        : Result.requeueAfter(pass.requeueAfter)));
  }

  /** Finished Jobs leave the active list; unfinished ones missing from it are reported. */
  private Mono<Void> reconcileChildren(Pass pass, List<Job> children) {
    return Flux.fromIterable(children)
        .concatMap(
            j -> {
              boolean found = inActiveList(pass.cronJob, j.getMetadata().getUid());
              Optional<String> finished = finishedCondition(j);
              if (!found && finished.isEmpty()) {
                CronJob cj = pass.cronJob;
                return client
                    .getCronJob(cj.getMetadata().getNamespace(), cj.getMetadata().getName())
                    .filter(fresh -> inActiveList(fresh, j.getMetadata().getUid()))
                    .map(
                        fresh -> {
                          pass.cronJob = new CronJobBuilder(fresh).build();
                          return true;
                        })
                    .switchIfEmpty(
                        Mono.defer(
                            () ->
                                client
                                    .event(
                                        cj,
                                        "Warning",
                                        "UnexpectedJob",
                                        "Saw a job that the controller did not create or forgot: "
                                            + j.getMetadata().getName())
                                    .thenReturn(true)))
                    .then();
              } else if (found && finished.isPresent()) {
                removeFromActive(pass, j.getMetadata().getUid());
                pass.updateStatus = true;
                return client.event(
                    pass.cronJob,
                    "Normal",
                    "SawCompletedJob",
                    "Saw completed job: "
                        + j.getMetadata().getName()
                        + ", condition: "
                        + finished.get());
              } else if (finished.isPresent() && "Complete".equals(finished.get())) {
                // Only a succeeded Job counts for lastSuccessfulTime.
                String completion =
                    j.getStatus() == null ? null : j.getStatus().getCompletionTime();
                String last = pass.status().getLastSuccessfulTime();
                if (completion != null
                    && (last == null || instant(completion).isAfter(instant(last)))) {
                  pass.status().setLastSuccessfulTime(completion);
                  pass.updateStatus = true;
                }
              }
              return Mono.empty();
            })
        .then();
  }

  /** Active references whose Job is gone (asked of the API server, not the cache) are dropped. */
  private Mono<Void> missingActive(Pass pass, List<Job> children) {
    Set<String> uids = new HashSet<>();
    children.forEach(j -> uids.add(j.getMetadata().getUid()));
    List<ObjectReference> active =
        new ArrayList<>(
            pass.cronJob.getStatus() == null || pass.cronJob.getStatus().getActive() == null
                ? List.of()
                : pass.cronJob.getStatus().getActive());
    return Flux.fromIterable(active)
        .filter(ref -> !uids.contains(ref.getUid()))
        .concatMap(
            ref ->
                client
                    .getJob(ref.getNamespace(), ref.getName())
                    .map(j -> true)
                    .switchIfEmpty(
                        Mono.defer(
                            () -> {
                              removeFromActive(pass, ref.getUid());
                              pass.updateStatus = true;
                              return client
                                  .event(
                                      pass.cronJob,
                                      "Normal",
                                      "MissingJob",
                                      "Active job went missing: " + ref.getName())
                                  .thenReturn(true);
                            })))
        .then();
  }

  /** Starts the Job of the most recent unmet scheduled time, as concurrency allows. */
  private Mono<Void> schedule(Pass pass) {
    CronJob cj = pass.cronJob;
    if (cj.getMetadata().getDeletionTimestamp() != null) {
      return Mono.empty();
    }
    String timeZone = cj.getSpec().getTimeZone();
    ZoneId zone = ZoneOffset.UTC;
    if (timeZone != null) {
      Optional<ZoneId> z = CronSchedule.zone(timeZone);
      if (z.isEmpty()) {
        return client.event(
            cj,
            "Warning",
            "UnknownTimeZone",
            "invalid timeZone: \"" + timeZone + "\": unknown time zone " + timeZone);
      }
      zone = z.get();
    }
    if (Boolean.TRUE.equals(cj.getSpec().getSuspend())) {
      return Mono.empty();
    }
    CronSchedule sched;
    try {
      sched = CronSchedule.parse(cj.getSpec().getSchedule());
    } catch (IllegalArgumentException e) {
      return client.event(
          cj,
          "Warning",
          "UnparseableSchedule",
          "unparseable schedule: \"" + cj.getSpec().getSchedule() + "\" : " + e.getMessage());
    }
    Instant now = clock.instant();
    MostRecent recent;
    try {
      recent = mostRecentScheduleTime(cj, now, sched, zone, true);
    } catch (IllegalArgumentException e) {
      return client.event(
          cj,
          "Warning",
          "InvalidSchedule",
          "invalid schedule: " + cj.getSpec().getSchedule() + " : " + e.getMessage());
    }
    ZoneId in = zone;
    Mono<Void> tooMany =
        recent.missed() == Missed.MANY
            ? client.event(
                cj,
                "Warning",
                "TooManyMissedTimes",
                "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or"
                    + " check clock skew")
            : Mono.empty();
    Instant scheduled = recent.mostRecent();
    if (scheduled == null || scheduled.isAfter(now)) {
      pass.requeueAfter = nextScheduleTimeDuration(cj, now, sched, in);
      return tooMany;
    }
    Long deadline = cj.getSpec().getStartingDeadlineSeconds();
    if (deadline != null && scheduled.plusSeconds(deadline).isBefore(now)) {
      pass.requeueAfter = nextScheduleTimeDuration(cj, now, sched, in);
      return tooMany.then(
          client.event(
              cj,
              "Warning",
              "MissSchedule",
              "Missed scheduled time to start a job: "
                  + DateTimeFormatter.RFC_1123_DATE_TIME.format(
                      scheduled.atOffset(ZoneOffset.UTC))));
    }
    String jobName = jobName(cj, scheduled);
    String last = pass.status().getLastScheduleTime();
    boolean processed =
        active(cj).stream().anyMatch(r -> jobName.equals(r.getName()))
            || (last != null && instant(last).equals(scheduled));
    if (processed) {
      pass.requeueAfter = nextScheduleTimeDuration(cj, now, sched, in);
      return tooMany;
    }
    String policy = cj.getSpec().getConcurrencyPolicy();
    if ("Forbid".equals(policy) && !active(cj).isEmpty()) {
      pass.requeueAfter = nextScheduleTimeDuration(cj, now, sched, in);
      return tooMany.then(
          client.event(
              cj,
              "Normal",
              "JobAlreadyActive",
              "Not starting job because prior execution is running and concurrency policy is"
                  + " Forbid"));
    }
    Mono<Void> replace = Mono.empty();
    if ("Replace".equals(policy)) {
      replace =
          Flux.fromIterable(new ArrayList<>(active(cj)))
              .concatMap(ref -> deleteJob(pass, ref.getName(), ref.getUid()))
              .then();
    }
    Job request = jobFromTemplate(cj, scheduled, in);
    return tooMany
        .then(replace)
        .then(
            client
                .createJob(request)
                .flatMap(
                    created ->
                        client
                            .event(
                                pass.cronJob,
                                "Normal",
                                "SuccessfulCreate",
                                "Created job " + created.getMetadata().getName())
                            .thenReturn(created))
                .onErrorResume(
                    AlreadyExistsException.class,
                    e ->
                        client
                            .getJob(
                                request.getMetadata().getNamespace(),
                                request.getMetadata().getName())
                            // Not ours, or already active: someone else keeps the status.
                            .filter(
                                j ->
                                    OwnerReferences.isControlledBy(j, pass.cronJob)
                                        && !inActiveList(pass.cronJob, j.getMetadata().getUid())))
                .onErrorResume(
                    e -> !(e instanceof AlreadyExistsException),
                    e ->
                        client
                            .event(
                                pass.cronJob,
                                "Warning",
                                "FailedCreate",
                                "Error creating job: " + e.getMessage())
                            .then(Mono.error(e)))
                .doOnNext(
                    job -> {
                      List<ObjectReference> refs = new ArrayList<>(active(pass.cronJob));
                      refs.add(reference(job));
                      pass.status().setActive(refs);
                      pass.status().setLastScheduleTime(format(scheduled));
                      pass.updateStatus = true;
                      pass.requeueAfter = nextScheduleTimeDuration(pass.cronJob, now, sched, in);
                    })
                .then());
  }

  /** Upstream's {@code cleanupFinishedJobs}: the oldest finished Jobs beyond the limits go. */
  private Mono<Void> cleanupFinished(Pass pass, List<Job> children) {
    Integer successLimit = pass.cronJob.getSpec().getSuccessfulJobsHistoryLimit();
    Integer failedLimit = pass.cronJob.getSpec().getFailedJobsHistoryLimit();
    if (successLimit == null && failedLimit == null) {
      return Mono.empty();
    }
    List<Job> succeeded = new ArrayList<>();
    List<Job> failed = new ArrayList<>();
    for (Job j : children) {
      Optional<String> c = finishedCondition(j);
      if (c.isPresent() && "Complete".equals(c.get())) {
        succeeded.add(j);
      } else if (c.isPresent() && "Failed".equals(c.get())) {
        failed.add(j);
      }
    }
    return removeOldest(pass, succeeded, successLimit)
        .then(Mono.defer(() -> removeOldest(pass, failed, failedLimit)));
  }

  private Mono<Void> removeOldest(Pass pass, List<Job> finished, Integer limit) {
    if (limit == null || finished.size() <= limit) {
      return Mono.empty();
    }
    List<Job> sorted = new ArrayList<>(finished);
    sorted.sort(BY_START_TIME);
    return Flux.fromIterable(sorted.subList(0, sorted.size() - limit))
        .concatMap(j -> deleteJob(pass, j.getMetadata().getName(), j.getMetadata().getUid()))
        .then();
  }

  /** Upstream's {@code byJobStartTime}: by start time, Jobs without one last, then by name. */
  static final Comparator<Job> BY_START_TIME =
      Comparator.comparing(
              (Job j) ->
                  j.getStatus() == null || j.getStatus().getStartTime() == null
                      ? Instant.MAX
                      : instant(j.getStatus().getStartTime()))
          .thenComparing(j -> j.getMetadata().getName());

  private Mono<Void> deleteJob(Pass pass, String name, String uid) {
    CronJob cj = pass.cronJob;
    return client
        .deleteJob(cj.getMetadata().getNamespace(), name)
        .then(
            Mono.defer(
                () -> {
                  removeFromActive(pass, uid);
                  pass.updateStatus = true;
                  return client.event(cj, "Normal", "SuccessfulDelete", "Deleted job " + name);
                }))
        .onErrorResume(
            e ->
                client
                    .event(cj, "Warning", "FailedDelete", "Deleted job: " + e.getMessage())
                    .then(Mono.error(e)));
  }

  /**
   * Upstream's {@code mostRecentScheduleTime}: from the last schedule time (or the creation time,
   * or the starting deadline when later), the latest scheduled time not after now, and how many
   * were missed, estimated from the interval between the next two times.
   *
   * @throws IllegalArgumentException when two scheduled times are less than a second apart
   */
  static MostRecent mostRecentScheduleTime(
      CronJob cj, Instant now, CronSchedule sched, ZoneId zone, boolean withDeadline) {
    Instant earliest = instant(cj.getMetadata().getCreationTimestamp());
    String last = cj.getStatus() == null ? null : cj.getStatus().getLastScheduleTime();
    if (last != null) {
      earliest = instant(last);
    }
    Long deadline = cj.getSpec().getStartingDeadlineSeconds();
    if (withDeadline && deadline != null) {
      Instant schedulingDeadline = now.minusSeconds(deadline);
      if (schedulingDeadline.isAfter(earliest)) {
        earliest = schedulingDeadline;
      }
    }
    Optional<Instant> t1 = sched.next(earliest, zone);
    if (t1.isEmpty()) {
      return new MostRecent(earliest, null, Missed.NONE);
    }
    Optional<Instant> t2 = sched.next(t1.get(), zone);
    if (now.isBefore(t1.get())) {
      return new MostRecent(earliest, null, Missed.NONE);
    }
    if (t2.isEmpty() || now.isBefore(t2.get())) {
      return new MostRecent(earliest, t1.get(), Missed.NONE);
    }
    long between = Math.round(Duration.between(t1.get(), t2.get()).toMillis() / 1000.0);
    if (between < 1) {
      throw new IllegalArgumentException(
          "time difference between two schedules is less than 1 second");
    }
    long elapsed = Duration.between(t1.get(), now).getSeconds();
    long missed = elapsed / between + 1;
    Instant mostRecent = null;
    Instant potentialEarliest = t1.get().plusSeconds((missed - 1 - 1) * between);
    for (Optional<Instant> t = sched.next(potentialEarliest, zone);
        t.isPresent() && !t.get().isAfter(now);
        t = sched.next(t.get(), zone)) {
      mostRecent = t.get();
    }
    Missed kind = missed > TOO_MANY_MISSED ? Missed.MANY : missed > 1 ? Missed.FEW : Missed.NONE;
    return new MostRecent(earliest, mostRecent, kind);
  }

  /** How long until just after the next scheduled time (upstream's nextScheduleTimeDuration). */
  static Duration nextScheduleTimeDuration(
      CronJob cj, Instant now, CronSchedule sched, ZoneId zone) {
    MostRecent recent;
    try {
      recent = mostRecentScheduleTime(cj, now, sched, zone, false);
    } catch (IllegalArgumentException e) {
      return null;
    }
    Instant from = recent.mostRecent() != null ? recent.mostRecent() : recent.earliest();
    return sched
        .next(from, zone)
        .map(next -> Duration.between(now, next.plus(NEXT_SCHEDULE_DELTA)))
        .map(d -> d.isNegative() ? Duration.ZERO : d)
        .orElse(null);
  }

  /** {@code <cronjob>-<scheduled time in minutes since the epoch>}. */
  static String jobName(CronJob cj, Instant scheduled) {
    return cj.getMetadata().getName() + "-" + scheduled.getEpochSecond() / 60;
  }

  /** Upstream's {@code getJobFromTemplate2}. */
  static Job jobFromTemplate(CronJob cj, Instant scheduled, ZoneId zone) {
    JobTemplateSpec template = cj.getSpec().getJobTemplate();
    Map<String, String> labels = new HashMap<>();
    Map<String, String> annotations = new HashMap<>();
    if (template != null && template.getMetadata() != null) {
      if (template.getMetadata().getLabels() != null) {
        labels.putAll(template.getMetadata().getLabels());
      }
      if (template.getMetadata().getAnnotations() != null) {
        annotations.putAll(template.getMetadata().getAnnotations());
      }
    }
    annotations.put(
        SCHEDULED_TIMESTAMP_ANNOTATION,
        DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
            scheduled.truncatedTo(ChronoUnit.SECONDS).atZone(zone).toOffsetDateTime()));
    return new JobBuilder()
        .withNewMetadata()
        .withName(jobName(cj, scheduled))
        .withNamespace(cj.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(annotations)
        .withOwnerReferences(OwnerReferences.controllerReference(cj))
        .endMetadata()
        .withSpec(template == null ? null : template.getSpec())
        .build();
  }

  /** The Complete or Failed condition type a finished Job has. */
  static Optional<String> finishedCondition(Job j) {
    if (j.getStatus() == null || j.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    for (JobCondition c : j.getStatus().getConditions()) {
      if (("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
          && "True".equals(c.getStatus())) {
        return Optional.of(c.getType());
      }
    }
    return Optional.empty();
  }

  private static List<ObjectReference> active(CronJob cj) {
    return cj.getStatus() == null || cj.getStatus().getActive() == null
        ? List.of()
        : cj.getStatus().getActive();
  }

  private static boolean inActiveList(CronJob cj, String uid) {
    return active(cj).stream().anyMatch(r -> Objects.equals(r.getUid(), uid));
  }

  private static void removeFromActive(Pass pass, String uid) {
    List<ObjectReference> kept =
        active(pass.cronJob).stream().filter(r -> !Objects.equals(r.getUid(), uid)).toList();
    pass.status().setActive(kept.isEmpty() ? null : new ArrayList<>(kept));
  }

  private static ObjectReference reference(Job job) {
    return new ObjectReferenceBuilder()
        .withApiVersion("batch/v1")
        .withKind("Job")
        .withName(job.getMetadata().getName())
        .withNamespace(job.getMetadata().getNamespace())
        .withUid(job.getMetadata().getUid())
        .withResourceVersion(job.getMetadata().getResourceVersion())
        .build();
  }

  static Instant instant(String timestamp) {
    return OffsetDateTime.parse(timestamp).toInstant();
  }

  static String format(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }
}
