package io.nauta.controllers.cronjob;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.nauta.core.batch.CronSchedule;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.informer.InformerStore;
import io.nauta.core.workqueue.Result;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The CronJob controller's decisions with a fixed clock and a fake API server. */
class CronJobSyncTest {

  private static final Instant CREATED = Instant.parse("2026-12-05T20:00:30Z");

  private final InformerStore<CronJob> cronJobs = new InformerStore<>();
  private final InformerStore<Job> jobs = new InformerStore<>();
  private final FakeClient client = new FakeClient();

  /** Jobs and events the fake API server saw; jobs by name. */
  private static final class FakeClient implements CronJobClient {
    final Map<String, Job> stored = new LinkedHashMap<>();
    final List<String> created = new ArrayList<>();
    final List<String> deleted = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    CronJob status;

    @Override
    public Mono<CronJob> getCronJob(String namespace, String name) {
      return Mono.empty();
    }

    @Override
    public Mono<Job> getJob(String namespace, String name) {
      return Mono.justOrEmpty(stored.get(name));
    }

    @Override
    public Mono<Job> createJob(Job job) {
      if (stored.containsKey(job.getMetadata().getName())) {
        return Mono.error(
            new AlreadyExistsException(
                new ResourceRef("batch", "jobs", job.getMetadata().getName())));
      }
      Job saved =
          new JobBuilder(job)
              .editMetadata()
              .withUid(UUID.randomUUID().toString())
              .endMetadata()
              .build();
      stored.put(job.getMetadata().getName(), saved);
      created.add(job.getMetadata().getName());
      return Mono.just(saved);
    }

    @Override
    public Mono<Void> deleteJob(String namespace, String name) {
      stored.remove(name);
      deleted.add(name);
      return Mono.empty();
    }

    @Override
    public Mono<CronJob> updateStatus(CronJob cronJob) {
      status = cronJob;
      return Mono.just(cronJob);
    }

    @Override
    public Mono<Void> event(CronJob cronJob, String type, String reason, String message) {
      events.add(reason + ": " + message);
      return Mono.empty();
    }
  }

  private static CronJob cronJob(String schedule) {
    return new CronJobBuilder()
        .withNewMetadata()
        .withName("cj")
        .withNamespace("ns")
        .withUid("cj-uid")
        .withCreationTimestamp(CREATED.toString())
        .endMetadata()
        .withNewSpec()
        .withSchedule(schedule)
        .withConcurrencyPolicy("Allow")
        .withSuspend(false)
        .withSuccessfulJobsHistoryLimit(3)
        .withFailedJobsHistoryLimit(1)
        .withNewJobTemplate()
        .withNewMetadata()
        .withLabels(Map.of("app", "x"))
        .endMetadata()
        .withNewSpec()
        .withNewTemplate()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .endJobTemplate()
        .endSpec()
        .build();
  }

  private static Duration delay(Result r) {
    return r instanceof Result.RequeueAfter after ? after.delay() : null;
  }

  private Result sync(CronJob cj, Instant now) {
    // A new version each time, as the cache keeps an object whose version it has.
    cronJobs.upsert(
        new CronJobBuilder(cj)
            .editMetadata()
            .withResourceVersion(UUID.randomUUID().toString())
            .endMetadata()
            .build());
    CronJobSync sync = new CronJobSync(cronJobs, jobs, client, Clock.fixed(now, ZoneOffset.UTC));
    return sync.sync("ns/cj").block(Duration.ofSeconds(5));
  }

  /** What a status write stored becomes the cache's CronJob, and the created Jobs the cache's. */
  private CronJob observe() {
    CronJob cj = client.status;
    client.stored.values().forEach(jobs::upsert);
    return new CronJobBuilder(cj)
        .editMetadata()
        .withResourceVersion(UUID.randomUUID().toString())
        .endMetadata()
        .build();
  }

  private static Job finished(Job job, String type, String start) {
    return new JobBuilder(job)
        .editMetadata()
        .withResourceVersion(UUID.randomUUID().toString())
        .endMetadata()
        .withNewStatus()
        .withStartTime(start)
        .withCompletionTime(start)
        .addNewCondition()
        .withType(type)
        .withStatus("True")
        .endCondition()
        .endStatus()
        .build();
  }

  @Test
  void createsTheJobOfEachScheduledMinuteOnceAndWaitsForTheNext() {
    Result r = sync(cronJob("* * * * *"), Instant.parse("2026-12-05T20:00:45Z"));
    assertThat(client.created).isEmpty();
    assertThat(delay(r)).isEqualTo(Duration.ofMillis(15_100));

    r = sync(cronJob("* * * * *"), Instant.parse("2026-12-05T20:01:00.2Z"));
    long minutes = Instant.parse("2026-12-05T20:01:00Z").getEpochSecond() / 60;
    assertThat(client.created).containsExactly("cj-" + minutes);
    Job job = client.stored.get("cj-" + minutes);
    assertThat(job.getMetadata().getAnnotations())
        .containsEntry(CronJobSync.SCHEDULED_TIMESTAMP_ANNOTATION, "2026-12-05T20:01:00Z");
    assertThat(job.getMetadata().getLabels()).containsEntry("app", "x");
    assertThat(job.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo("cj-uid");
    assertThat(job.getMetadata().getOwnerReferences().get(0).getController()).isTrue();
    assertThat(client.events).containsExactly("SuccessfulCreate: Created job cj-" + minutes);
    assertThat(client.status.getStatus().getLastScheduleTime()).isEqualTo("2026-12-05T20:01:00Z");
    assertThat(client.status.getStatus().getActive())
        .extracting(ObjectReference::getName)
        .containsExactly("cj-" + minutes);
    assertThat(delay(r)).isEqualTo(Duration.ofMillis(59_900));

    // The status write lost (a restart): the same pass again finds the Job there, creates none.
    client.status = null;
    sync(cronJob("* * * * *"), Instant.parse("2026-12-05T20:01:03Z"));
    assertThat(client.created).hasSize(1);
    assertThat(client.status.getStatus().getActive()).hasSize(1);

    // Seen: nothing more to do within the minute.
    CronJob seen = observe();
    client.status = null;
    sync(seen, Instant.parse("2026-12-05T20:01:30Z"));
    assertThat(client.created).hasSize(1);
    assertThat(client.status).isNull();
  }

  @Test
  void afterAnOutageOnlyTheLatestMissedTimeRunsAndManyMissedAreReported() {
    CronJob cj = cronJob("* * * * *");
    Instant now = Instant.parse("2026-12-06T00:00:10Z");
    sync(cj, now);
    assertThat(client.created)
        .containsExactly("cj-" + Instant.parse("2026-12-06T00:00:00Z").getEpochSecond() / 60);
    assertThat(client.events)
        .anyMatch(e -> e.startsWith("TooManyMissedTimes: too many missed start times."));

    // A few missed: the latest runs, no event about it.
    client.created.clear();
    client.events.clear();
    CronJob few =
        new CronJobBuilder(cronJob("*/5 * * * *"))
            .withNewStatus()
            .withLastScheduleTime("2026-12-06T00:00:00Z")
            .endStatus()
            .build();
    sync(few, Instant.parse("2026-12-06T00:21:00Z"));
    assertThat(client.created)
        .containsExactly("cj-" + Instant.parse("2026-12-06T00:20:00Z").getEpochSecond() / 60);
    assertThat(client.events).noneMatch(e -> e.startsWith("TooManyMissedTimes"));
  }

  @Test
  void startingDeadlineSkipsTimesTooLateToStart() {
    CronJob cj =
        new CronJobBuilder(cronJob("0 * * * *"))
            .editSpec()
            .withStartingDeadlineSeconds(30L)
            .endSpec()
            .build();
    Result r = sync(cj, Instant.parse("2026-12-05T21:00:31Z"));
    assertThat(client.created).isEmpty();
    assertThat(delay(r)).isEqualTo(Duration.ofMinutes(59).plusSeconds(29).plusMillis(100));
    sync(cj, Instant.parse("2026-12-05T21:00:29Z"));
    assertThat(client.created).hasSize(1);
  }

  @Test
  void forbidWaitsForTheActiveJobAndReplaceDeletesIt() {
    CronJob forbid =
        new CronJobBuilder(cronJob("* * * * *"))
            .editSpec()
            .withConcurrencyPolicy("Forbid")
            .endSpec()
            .build();
    sync(forbid, Instant.parse("2026-12-05T20:01:01Z"));
    CronJob seen = observe();
    sync(seen, Instant.parse("2026-12-05T20:02:01Z"));
    assertThat(client.created).hasSize(1);
    assertThat(client.events)
        .contains(
            "JobAlreadyActive: Not starting job because prior execution is running and concurrency"
                + " policy is Forbid");

    CronJob replace =
        new CronJobBuilder(seen).editSpec().withConcurrencyPolicy("Replace").endSpec().build();
    sync(replace, Instant.parse("2026-12-05T20:02:02Z"));
    assertThat(client.deleted).containsExactly(client.created.get(0));
    assertThat(client.created).hasSize(2);
    assertThat(client.status.getStatus().getActive())
        .extracting(ObjectReference::getName)
        .containsExactly(client.created.get(1));
  }

  @Test
  void suspendedCronJobsStartNothing() {
    CronJob cj =
        new CronJobBuilder(cronJob("* * * * *")).editSpec().withSuspend(true).endSpec().build();
    sync(cj, Instant.parse("2026-12-05T20:05:01Z"));
    assertThat(client.created).isEmpty();
  }

  @Test
  void finishedJobsLeaveTheActiveListAndTheOldestBeyondTheLimitsAreDeleted() {
    CronJob cj = cronJob("* * * * *");
    for (int minute = 1; minute <= 5; minute++) {
      sync(cj, Instant.parse("2026-12-05T20:0" + minute + ":01Z"));
      cj = observe();
    }
    assertThat(client.created).hasSize(5);
    // Four complete (started in order), the last one fails.
    for (int i = 0; i < 5; i++) {
      Job j = client.stored.get(client.created.get(i));
      jobs.upsert(finished(j, i < 4 ? "Complete" : "Failed", "2026-12-05T20:0" + (i + 1) + ":30Z"));
    }
    sync(cj, Instant.parse("2026-12-05T20:05:40Z"));
    assertThat(client.deleted).containsExactly(client.created.get(0));
    assertThat(client.events)
        .contains(
            "SawCompletedJob: Saw completed job: "
                + client.created.get(0)
                + ", condition: Complete",
            "SawCompletedJob: Saw completed job: " + client.created.get(4) + ", condition: Failed",
            "SuccessfulDelete: Deleted job " + client.created.get(0));
    assertThat(client.status.getStatus().getActive()).isNull();

    // The next pass records the last success: the latest Complete Job, not the failed one.
    CronJob seen = new CronJobBuilder(client.status).build();
    client.status = null;
    sync(seen, Instant.parse("2026-12-05T20:05:50Z"));
    assertThat(client.status.getStatus().getLastSuccessfulTime()).isEqualTo("2026-12-05T20:04:30Z");
  }

  @Test
  void schedulesInTheCronJobsTimeZone() {
    CronJob cj =
        new CronJobBuilder(cronJob("0 9 * * *"))
            .editSpec()
            .withTimeZone("Asia/Tokyo")
            .endSpec()
            .build();
    sync(cj, Instant.parse("2026-12-06T00:00:05Z"));
    String name = "cj-" + Instant.parse("2026-12-06T00:00:00Z").getEpochSecond() / 60;
    assertThat(client.created).containsExactly(name);
    assertThat(client.stored.get(name).getMetadata().getAnnotations())
        .containsEntry(CronJobSync.SCHEDULED_TIMESTAMP_ANNOTATION, "2026-12-06T09:00:00+09:00");
  }

  @Test
  void mostRecentScheduleTimeCountsMissedRuns() {
    CronJob cj = cronJob("*/10 * * * *");
    CronSchedule s = CronSchedule.parse("*/10 * * * *");
    ZoneId utc = ZoneOffset.UTC;
    CronJobSync.MostRecent r =
        CronJobSync.mostRecentScheduleTime(cj, Instant.parse("2026-12-05T20:05:00Z"), s, utc, true);
    assertThat(r.mostRecent()).isNull();
    r = CronJobSync.mostRecentScheduleTime(cj, Instant.parse("2026-12-05T20:35:00Z"), s, utc, true);
    assertThat(r.mostRecent()).isEqualTo("2026-12-05T20:30:00Z");
    assertThat(r.missed()).isEqualTo(CronJobSync.Missed.FEW);
    r = CronJobSync.mostRecentScheduleTime(cj, Instant.parse("2026-12-07T20:35:00Z"), s, utc, true);
    assertThat(r.mostRecent()).isEqualTo("2026-12-07T20:30:00Z");
    assertThat(r.missed()).isEqualTo(CronJobSync.Missed.MANY);
  }
}
